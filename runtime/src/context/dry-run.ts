import {
  type FetchLike,
  type JsonValue,
  MAX_RESPONSE_BYTES,
  readCappedBytes,
} from '@crossdock/nodes';
import { heldResponse, recordHeaders } from './read-response';

/** A request a safe test run did not send: what the connector would have sent, without headers. */
export interface NotSentRequest {
  method: string;
  url: string;
  body: JsonValue;
  /** In a shadow run: no step of the active version's run answered it (it got `{}`). */
  unmatched?: boolean;
}

/** A request a step sent and what came back (recorded on active runs a shadow watches). */
export interface SentExchange {
  method: string;
  url: string;
  body: JsonValue;
  status: number;
  response: JsonValue;
}

/** What a side-effecting step of a dry run is answered with instead of the system's reply. */
export interface DryAnswer {
  status: number;
  body: JsonValue;
}

/** How a safe test run treats its side-effecting steps (see the test-run route). */
export interface DryRun {
  /** Per node id: what its pinned sample says the system answers. */
  answers: Record<string, JsonValue>;
}

const utf8 = new TextDecoder();

function bodyOf(init: RequestInit | undefined): JsonValue {
  const body = init?.body;
  if (typeof body !== 'string') return body == null ? null : '(binary body)';
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

function parsedText(text: string): JsonValue {
  if (text === '') return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/**
 * The fetch a side-effecting node gets in a safe test run or a shadow run: nothing leaves the
 * process; the request is recorded (headers left out: they carry the connection's credentials)
 * and the answer (a pinned output, or what the active run's step received), else `{}`, comes
 * back as a JSON answer. `answer` is asked once per request, so a step that calls twice can get
 * two answers.
 */
export function dryRunFetch(
  answer: () => DryAnswer | undefined,
  sent: NotSentRequest[],
): FetchLike {
  return async (input, init) => {
    const request: NotSentRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      url: input,
      body: bodyOf(init),
    };
    const found = answer();
    sent.push(found ? request : { ...request, unmatched: true });
    return heldResponse(
      found?.status ?? 200,
      recordHeaders({ 'content-type': 'application/json' }),
      Buffer.from(JSON.stringify(found?.body ?? {})),
    );
  };
}

/**
 * Wraps the real fetch of a step so the exchange is kept for a shadow: the request without
 * headers, the status and the parsed body of the answer. The body is read here (up to one byte
 * over what a connector accepts) and handed on held, so the executor reads it as before; a
 * failed read reaches the executor when it reads.
 */
export function recordingFetch(fetch: FetchLike, exchanges: SentExchange[]): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    let bytes: Uint8Array | null = null;
    let failure: unknown;
    try {
      bytes = response.body
        ? (await readCappedBytes(response, MAX_RESPONSE_BYTES + 1)).bytes
        : null;
    } catch (error) {
      failure = error;
    }
    exchanges.push({
      method: (init?.method ?? 'GET').toUpperCase(),
      url: input,
      body: bodyOf(init),
      status: response.status,
      response: parsedText(bytes === null ? '' : utf8.decode(bytes)),
    });
    return heldResponse(response.status, response.headers, bytes, failure);
  };
}
