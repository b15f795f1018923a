import type { FetchBody, FetchBodyReader, FetchHeaders, FetchResponse } from '@crossdock/nodes';

/** Response headers as undici's `request` gives them: lower-cased names, repeats as arrays. */
export type RawHeaders = Record<string, string | string[] | undefined>;

const utf8 = new TextDecoder();

/** Space or tab: `Headers` strips them around a value, and undici leaves the trailing ones. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function trimValue(value: string): string {
  return value.length > 0 &&
    (isBlank(value.charCodeAt(0)) || isBlank(value.charCodeAt(value.length - 1)))
    ? value.replace(/^[ \t]+|[ \t]+$/g, '')
    : value;
}

/**
 * `Headers` read straight from undici's header record, which already has lower-cased names,
 * so nothing is copied until a value is asked for.
 */
class RecordHeaders implements FetchHeaders {
  constructor(private readonly raw: RawHeaders) {}

  get(name: string): string | null {
    const key = name.toLowerCase();
    // Own properties only: a header called `constructor` is not the prototype's.
    const value = Object.hasOwn(this.raw, key) ? this.raw[key] : undefined;
    if (value === undefined) return null;
    return typeof value === 'string' ? trimValue(value) : value.map(trimValue).join(', ');
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return Object.hasOwn(this.raw, key) && this.raw[key] !== undefined;
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.raw[name];
      if (value === undefined) continue;
      if (name === 'set-cookie' && Array.isArray(value)) {
        for (const cookie of value) callback(trimValue(cookie), name);
      } else {
        callback(
          typeof value === 'string' ? trimValue(value) : value.map(trimValue).join(', '),
          name,
        );
      }
    }
  }
}

/** Headers from undici's record (`request`'s `headers`), the way `Headers` would answer. */
export function recordHeaders(raw: RawHeaders): FetchHeaders {
  return new RecordHeaders(raw);
}

/** A body held in memory, handed to a reader as one chunk (or the error that cut it short). */
class HeldBody implements FetchBody {
  constructor(
    private bytes: Uint8Array | undefined,
    private readonly failure?: unknown,
  ) {}

  getReader(): FetchBodyReader {
    return {
      read: async () => {
        if (this.failure !== undefined) throw this.failure;
        const bytes = this.bytes;
        this.bytes = undefined;
        return bytes === undefined || bytes.byteLength === 0
          ? { done: true }
          : { done: false, value: bytes };
      },
      cancel: () => this.cancel(),
    };
  }

  async cancel(): Promise<void> {
    this.bytes = undefined;
  }

  text(): string {
    if (this.failure !== undefined) throw this.failure;
    return this.bytes === undefined ? '' : utf8.decode(this.bytes);
  }
}

/**
 * A response whose body has been read already (`null`: none), or failed to (`failure`, thrown
 * to whoever reads it). What the node library asks of a `Response`, without the web stream and
 * the `Headers` one builds: on Node 20 those cost more CPU than the rest of a connector call.
 */
export function heldResponse(
  status: number,
  headers: FetchHeaders,
  bytes: Uint8Array | null,
  failure?: unknown,
): FetchResponse {
  const body =
    bytes === null && failure === undefined ? null : new HeldBody(bytes ?? undefined, failure);
  return {
    status,
    headers,
    body,
    text: async () => body?.text() ?? '',
  };
}
