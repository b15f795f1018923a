import { type CrossdockError, PermanentError, TransientError } from '../../../sdk/errors';
import type { FetchResponse } from '../../../sdk/executor-types';
import type { JsonValue } from '../../../sdk/json';

/** How much of an error response body travels in the error's details. */
export const ERROR_BODY_LIMIT = 2000;

/**
 * Milliseconds to wait from a Retry-After header: delay-seconds or an HTTP date (relative to
 * the run's clock). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(at - now.getTime(), 0);
}

function trimBody(text: string): string {
  return text.length > ERROR_BODY_LIMIT ? `${text.slice(0, ERROR_BODY_LIMIT)}…` : text;
}

/**
 * Turns a non-2xx response into a classified error: 408, 429 and 5xx are transient (with
 * `retryAfterMs` from Retry-After), other statuses permanent, with status and a trimmed body.
 */
export function classifyResponse(
  response: FetchResponse,
  text: string,
  now: Date,
  what: string,
): CrossdockError {
  const status = response.status;
  const details = { status, body: trimBody(text) };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  if (status === 408) {
    return new TransientError('timeout', `The ${what} timed out (HTTP 408).`, {
      details,
      retryAfterMs,
    });
  }
  if (status === 429) {
    return new TransientError('rate-limited', `The ${what} is rate limiting us (HTTP 429).`, {
      details,
      retryAfterMs,
    });
  }
  if (status >= 500) {
    return new TransientError('upstream-unavailable', `The ${what} failed with HTTP ${status}.`, {
      details,
      retryAfterMs,
    });
  }
  if (status === 404) {
    return new PermanentError('not-found', `The ${what} answered 404 Not Found.`, { details });
  }
  return new PermanentError(
    'upstream-rejected',
    `The ${what} rejected the request (HTTP ${status}).`,
    {
      details,
    },
  );
}

/** Reads a 2xx body: JSON when the server says so, text otherwise, null when empty. */
export function parseBody(response: FetchResponse, text: string, what: string): JsonValue {
  if (text === '') return null;
  const type = response.headers.get('content-type') ?? '';
  if (!/[/+]json\b/i.test(type)) return text;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new PermanentError('upstream-rejected', `The ${what} sent invalid JSON.`, {
      cause: error,
      details: { status: response.status, body: trimBody(text) },
    });
  }
}
