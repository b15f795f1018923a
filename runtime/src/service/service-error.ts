/**
 * Why a service refused a request. Services speak in these codes only; the API layer alone maps
 * them to HTTP statuses (`api/errors.ts`), so a service never knows it is behind HTTP.
 */
export type ServiceErrorCode =
  | 'not-found'
  | 'environment-incomplete'
  | 'version-conflict'
  | 'content-unchanged'
  | 'version-not-bumped'
  | 'not-pending'
  | 'same-approver'
  | 'no-previous-version'
  | 'invalid-cutover'
  | 'cutover-not-met'
  | 'invalid-shadow'
  | 'reconciliation-running'
  | 'not-correctable'
  | 'invalid-process';

/** A refusal by a service, with a code from a closed list and details for the caller. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
