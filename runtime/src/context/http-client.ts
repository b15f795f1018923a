import type { Readable } from 'node:stream';
import { type FetchLike, MAX_RESPONSE_BYTES } from '@crossdock/nodes';
import { Agent, buildConnector, request, fetch as undiciFetch } from 'undici';
import {
  ForbiddenAddressError,
  forbiddenAddressReason,
  guardedLookup,
  ipLiteral,
} from './address-policy';
import { heldResponse, recordHeaders } from './read-response';

/** Statuses whose response may not carry a body (a `Response` has none). */
const NULL_BODY = new Set([101, 204, 205, 304]);

export interface HttpClient {
  /** Reaches public addresses only (the SSRF defence: see address-policy.ts). */
  fetch: FetchLike;
  /** Also reaches private, loopback and link-local addresses: connections with `allowPrivateNetwork`. */
  privateFetch: FetchLike;
  close(): Promise<void>;
}

/**
 * A connector that checks the address every socket connects to: IP literals here, names after
 * DNS resolution in `guardedLookup`. Checked at connect time, so neither a redirect, nor a DNS
 * answer that changes between a check and the request, nor a keep-alive pool gets round it.
 */
function guardedConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup });
  return (options, callback) => {
    const literal = ipLiteral(options.hostname);
    const reason = literal === undefined ? undefined : forbiddenAddressReason(literal);
    if (reason !== undefined) {
      const error = new ForbiddenAddressError(options.hostname, reason);
      queueMicrotask(() => callback(error, null));
      return;
    }
    return connect(options, callback);
  };
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, typeof v === 'string' ? v : v.join(', ')]),
  );
}

/**
 * The `fetch` that executors get: the fetch API over undici's `request` on one keep-alive
 * agent per process, answering with a `FetchResponse` that holds the body read already. Node
 * 20's global fetch costs about three times the CPU per call, and connector calls are most of
 * a run's work. Requests that need what `request` does not do (following redirects, streamed
 * bodies) go to undici's fetch.
 */
export interface HttpClientOptions {
  /**
   * Called with each credential an outgoing request carries (the part after the scheme of an
   * `authorization` header: a basic-auth base64, a bearer or OAuth access token), before it is
   * sent, so the redactor knows values derived from secrets before an upstream can echo them.
   */
  onCredential?(value: string): void;
}

const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'];

function credentials(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.includes(name.toLowerCase())) continue;
    const space = value.indexOf(' ');
    out.push(space > 0 ? value.slice(space + 1).trim() : value);
  }
  return out;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const open = new Agent({ keepAliveTimeout: 10_000, connections: 128 });
  const guarded = new Agent({
    keepAliveTimeout: 10_000,
    connections: 128,
    connect: guardedConnector(),
  });
  return {
    fetch: agentFetch(guarded, options),
    privateFetch: agentFetch(open, options),
    close: async () => {
      await Promise.all([open.close(), guarded.close()]);
    },
  };
}

function agentFetch(agent: Agent, options: HttpClientOptions): FetchLike {
  return async (input, init = {}) => {
    const body = init.body;
    const sent = headerRecord(init.headers);
    if (options.onCredential) {
      for (const credential of credentials(sent)) options.onCredential(credential);
    }
    if (
      init.redirect !== 'manual' ||
      (body !== undefined && body !== null && typeof body !== 'string')
    ) {
      // undici's own fetch, on the same agent, so its sockets pass the same address check.
      return await undiciFetch(input as string, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      });
    }
    const answer = await request(input, {
      method: (init.method ?? 'GET') as 'GET',
      headers: sent,
      ...(typeof body === 'string' ? { body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher: agent,
    });
    const headers = recordHeaders(answer.headers);
    if (NULL_BODY.has(answer.statusCode)) {
      await answer.body.dump();
      return heldResponse(answer.statusCode, headers, null);
    }
    const declared = Number(answer.headers['content-length'] ?? 0);
    if (declared > MAX_RESPONSE_BYTES) {
      // Refused unread by whoever reads it (its size is in the headers).
      answer.body.destroy();
      return heldResponse(answer.statusCode, headers, null);
    }
    // Read here, at most one byte over what any reader accepts: a web stream bridged from the
    // socket's, and a Response and Headers around it, cost more than the rest of the call.
    return heldResponse(
      answer.statusCode,
      headers,
      await readCapped(answer.body, MAX_RESPONSE_BYTES + 1),
    );
  };
}

/** The body's bytes, stopping (and closing the stream) once more than `cap` have arrived. */
async function readCapped(body: Readable, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
    if (size > cap) {
      body.destroy();
      break;
    }
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
