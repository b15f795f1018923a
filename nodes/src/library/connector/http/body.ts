import { PermanentError } from '../../../sdk/errors';
import type { FetchResponse } from '../../../sdk/executor-types';

/** Answers larger than this are refused: a message travels through Redis and the trace. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export function tooLarge(what: string, size: number, limit = MAX_RESPONSE_BYTES): PermanentError {
  return new PermanentError(
    'upstream-rejected',
    `The ${what} answered with more than ${limit} bytes (${size} read before stopping); a message may hold ${limit}.`,
    { details: { size, limit } },
  );
}

const utf8 = new TextDecoder();

/**
 * Reads a response body as text, stopping (and cancelling the transfer) the moment it passes
 * `limit` bytes: a 400 MB answer costs one chunk over the limit, not 400 MB of memory.
 */
export async function readLimitedText(
  response: FetchResponse,
  what: string,
  limit = MAX_RESPONSE_BYTES,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge(what, declared, limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(what, size, limit);
    }
    chunks.push(value);
  }
  // The runtime's client hands over the body read already, as one chunk.
  if (chunks.length === 1) return utf8.decode(chunks[0]);
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return utf8.decode(all);
}

/**
 * The message of the runtime's SSRF refusal (runtime/src/context/address-policy.ts) when that is
 * why a request failed, looked up through the `cause` chain (fetch wraps connect errors).
 */
export function forbiddenAddress(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; e instanceof Error && i < 4; i++) {
    if ((e as { code?: unknown }).code === 'ERR_CROSSDOCK_FORBIDDEN_ADDRESS') return e.message;
    e = e.cause;
  }
  return undefined;
}
