/**
 * Errors as data. They cross process boundaries (job payloads, traces, HTTP), so they are
 * identified by `name` and `code`, never by `instanceof` alone.
 */
export type ErrorClass = 'transient' | 'permanent' | 'unexpected';

export type ErrorCode =
  | 'timeout'
  | 'network'
  | 'rate-limited'
  | 'upstream-unavailable'
  | 'upstream-rejected'
  | 'invalid-config'
  | 'invalid-input'
  | 'validation-failed'
  | 'rule-rejected'
  | 'not-found'
  | 'connection-missing'
  | 'connection-kind'
  | 'forbidden-host'
  | 'expression-failed'
  | 'expression-budget'
  | 'aborted'
  | 'dead-lettered'
  | 'worker-crashed'
  | 'internal';

export interface SerializedError {
  name: string;
  errorClass: ErrorClass;
  code: ErrorCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  details?: unknown;
}

export interface CrossdockErrorOptions {
  retryAfterMs?: number | undefined;
  details?: unknown;
  cause?: unknown;
}

export class CrossdockError extends Error {
  override readonly name: string = 'CrossdockError';
  readonly errorClass: ErrorClass;
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  readonly details: unknown;

  constructor(
    errorClass: ErrorClass,
    code: ErrorCode,
    message: string,
    options: CrossdockErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errorClass = errorClass;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** Only transient errors are retried; a bug is reported, not retried. */
  get retryable(): boolean {
    return this.errorClass === 'transient';
  }

  toJSON(): SerializedError {
    const out: SerializedError = {
      name: this.name,
      errorClass: this.errorClass,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

/** Network trouble, timeouts, 408/429/5xx: worth another attempt. */
export class TransientError extends CrossdockError {
  override readonly name = 'TransientError';
  constructor(code: ErrorCode, message: string, options?: CrossdockErrorOptions) {
    super('transient', code, message, options);
  }
}

/** Bad config or data, other 4xx, a rule's rejection: another attempt gives the same answer. */
export class PermanentError extends CrossdockError {
  override readonly name = 'PermanentError';
  constructor(code: ErrorCode, message: string, options?: CrossdockErrorOptions) {
    super('permanent', code, message, options);
  }
}

const CLASSES: ReadonlySet<string> = new Set(['transient', 'permanent', 'unexpected']);

/**
 * Turns anything thrown into the serialized shape. Errors that are not Crossdock errors are
 * bugs (`unexpected`), unless they look like a Crossdock error that crossed a boundary.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof CrossdockError) return error.toJSON();
  if (typeof error === 'object' && error !== null) {
    const e = error as Partial<SerializedError> & { message?: unknown; name?: unknown };
    if (
      typeof e.errorClass === 'string' &&
      CLASSES.has(e.errorClass) &&
      typeof e.code === 'string'
    ) {
      return {
        name: typeof e.name === 'string' ? e.name : 'CrossdockError',
        errorClass: e.errorClass,
        code: e.code,
        message: typeof e.message === 'string' ? e.message : String(e.code),
        retryable: e.errorClass === 'transient',
        ...(typeof e.retryAfterMs === 'number' ? { retryAfterMs: e.retryAfterMs } : {}),
        ...(e.details !== undefined ? { details: e.details } : {}),
      };
    }
    if (error instanceof Error && error.name === 'AbortError') {
      return {
        name: 'TransientError',
        errorClass: 'transient',
        code: 'aborted',
        message: error.message,
        retryable: true,
      };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'Error', errorClass: 'unexpected', code: 'internal', message, retryable: false };
}
