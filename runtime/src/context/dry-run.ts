import type { FetchLike, JsonValue } from '@crossdock/nodes';

/** A request a safe test run did not send: what the connector would have sent, without headers. */
export interface NotSentRequest {
  method: string;
  url: string;
  body: JsonValue;
}

/** How a safe test run treats its side-effecting steps (see the test-run route). */
export interface DryRun {
  /** Per node id: what its pinned sample says the system answers. */
  answers: Record<string, JsonValue>;
}

function bodyOf(init: RequestInit | undefined): JsonValue {
  const body = init?.body;
  if (typeof body !== 'string') return body == null ? null : '(binary body)';
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

/**
 * The fetch a side-effecting node gets in a safe test run: nothing leaves the process; the request
 * is recorded (headers left out: they carry the connection's credentials) and the node's pinned
 * output, or `{}`, comes back as a 200 JSON answer.
 */
export function dryRunFetch(answer: JsonValue | undefined, sent: NotSentRequest[]): FetchLike {
  return async (input, init) => {
    sent.push({ method: (init?.method ?? 'GET').toUpperCase(), url: input, body: bodyOf(init) });
    return new Response(JSON.stringify(answer ?? {}), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}
