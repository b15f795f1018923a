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
 * A response body's bytes, stopping (and cancelling the transfer) once more than `cap` have
 * arrived; `size` counts what was read, the chunk that went over included.
 */
export async function readCappedBytes(
  response: FetchResponse,
  cap: number,
): Promise<{ bytes: Uint8Array; size: number }> {
  if (!response.body) return { bytes: new Uint8Array(0), size: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      break;
    }
  }
  // The runtime's client hands over the body read already, as one chunk.
  if (chunks.length === 1) return { bytes: chunks[0] as Uint8Array, size };
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes: all, size };
}

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
  const { bytes, size } = await readCappedBytes(response, limit);
  if (size > limit) throw tooLarge(what, size, limit);
  return utf8.decode(bytes);
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
