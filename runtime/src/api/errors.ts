import { type ErrorCode, serializeError } from '@crossdock/nodes';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../infra/logger';
import { ServiceError, type ServiceErrorCode } from '../service/service-error';

/** An error with an HTTP status, answered as `{"error":{"code","message","details"}}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  'not-found': 404,
  'invalid-input': 400,
  'invalid-config': 400,
  'expression-failed': 400,
  'validation-failed': 400,
};

/** The one place where a service's refusal becomes an HTTP status. */
const STATUS_BY_SERVICE_CODE: Record<ServiceErrorCode, number> = {
  'not-found': 404,
  'environment-incomplete': 422,
  'version-conflict': 409,
  'content-unchanged': 409,
  'version-not-bumped': 409,
  'not-pending': 409,
  'same-approver': 403,
  'no-previous-version': 409,
  'invalid-cutover': 500,
  'cutover-not-met': 409,
  'invalid-shadow': 400,
  'reconciliation-running': 409,
  'not-correctable': 422,
  'invalid-process': 400,
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/** Unknown routes: 404 in the JSON error shape. */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not-found', `No route ${req.method} ${req.path}.`));
};

interface HttpishError {
  status?: unknown;
  type?: unknown;
  message?: unknown;
  /** The body limit in bytes, on the body parser's `entity.too.large`. */
  limit?: unknown;
}

/** Turns anything thrown in a route into the JSON error shape; bugs are logged, not leaked. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof ApiError) {
      res.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    if (error instanceof ServiceError) {
      res
        .status(STATUS_BY_SERVICE_CODE[error.code])
        .json(errorBody(error.code, error.message, error.details));
      return;
    }
    const e = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
    // Thrown by the flow store (which knows no HTTP) when a webhook path is not this flow's.
    if (error instanceof Error && error.name === 'HookPathError') {
      const refused = error as Error & { code: string; details: unknown };
      res.status(409).json(errorBody(refused.code, refused.message, refused.details));
      return;
    }
    if (e.type === 'entity.too.large') {
      const limit = typeof e.limit === 'number' ? ` of ${e.limit} bytes` : '';
      res
        .status(413)
        .json(
          errorBody(
            'payload-too-large',
            `The request body is larger than the limit${limit} (CROSSDOCK_BODY_LIMIT); send less, or raise the limit.`,
          ),
        );
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid-json', 'The request body is not valid JSON.'));
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(errorBody('bad-request', String(e.message ?? 'Bad request.')));
      return;
    }
    const serialized = serializeError(error);
    const status = STATUS_BY_CODE[serialized.code];
    if (status !== undefined && serialized.errorClass === 'permanent') {
      res.status(status).json(errorBody(serialized.code, serialized.message, serialized.details));
      return;
    }
    log.error({ err: error }, 'unhandled API error');
    res.status(500).json(errorBody('internal', 'Something went wrong on our side; it was logged.'));
  };
}
