import { ApiError } from './errors';

/** Flow ids as the flow schema allows them: no slashes, so never a path outside the folder. */
export const FLOW_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function flowIdParam(value: unknown): string {
  if (typeof value !== 'string' || !FLOW_ID.test(value) || value.includes('..')) {
    throw new ApiError(
      400,
      'invalid-id',
      'A flow id is letters, digits, ".", "_" and "-" (128 at most).',
    );
  }
  return value;
}

/** Process ids follow the flow id rule (they name a file too). */
export function processIdParam(value: unknown): string {
  if (typeof value !== 'string' || !FLOW_ID.test(value) || value.includes('..')) {
    throw new ApiError(
      400,
      'invalid-id',
      'A process id is letters, digits, ".", "_" and "-" (128 at most).',
    );
  }
  return value;
}

/** Run ids as the runtime makes them (`run_<uuid>`): no `:`, so never another key's name. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function runIdParam(value: unknown): string {
  if (typeof value !== 'string' || !RUN_ID.test(value)) {
    throw new ApiError(
      400,
      'invalid-id',
      'A run id is letters, digits, ".", "_" and "-" (128 at most), as in "run_3f2a…".',
    );
  }
  return value;
}

export function stringParam(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) {
    throw new ApiError(400, 'invalid-parameter', `"${name}" must be a non-empty string.`);
  }
  return value;
}

export function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  return stringParam(value, name);
}

/** A time filter: ISO 8601 or epoch milliseconds. */
export function timeParam(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new ApiError(400, 'invalid-parameter', `"${name}" must be an ISO date or epoch ms.`);
  return ms;
}

export function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new ApiError(400, 'invalid-parameter', `"${name}" must be an integer from 0 to ${max}.`);
  }
  return n;
}
