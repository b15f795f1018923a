import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  PermanentError,
  type SqlParam,
  TransientError,
} from '@crossdock/nodes';

/** A node's parameter value as the drivers bind it: objects and arrays as JSON text. */
export function sqlParam(value: JsonValue): SqlParam {
  if (value === null || typeof value !== 'object') return value;
  return JSON.stringify(value);
}

/** A value a driver returned, as JSON: dates as ISO text, bytes as base64, big integers as text. */
function jsonOf(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonOf(v);
    return out;
  }
  return String(value);
}

/** A driver's row as a JSON object (column name to value). */
export function jsonRow(row: unknown): JsonObject {
  const value = jsonOf(row);
  return isJsonObject(value) ? value : { value };
}

/**
 * SQLSTATE classes worth another attempt: connection (08), transaction rollback such as a
 * deadlock or serialization failure (40), insufficient resources (53), operator intervention
 * such as a shutdown (57), system error (58). Everything else (syntax, constraint, data) gives
 * the same answer again.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)/;
/** Errors before any SQL state: the server is away or the connection dropped. */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);
/** MySQL error numbers worth another attempt: lock wait timeout, deadlock, too many connections. */
const TRANSIENT_MYSQL_ERRNO = new Set([1205, 1213, 1040, 1203]);

/** A driver error as a node error: classified by SQL state, errno or socket error code. */
export function sqlError(kind: 'postgres' | 'mysql', connection: string, error: unknown): Error {
  if (!(error instanceof Error)) return new TransientError('network', String(error));
  if (typeof (error as { errorClass?: unknown }).errorClass === 'string') return error;
  const e = error as Error & { code?: unknown; sqlState?: unknown; errno?: unknown };
  const state =
    typeof e.sqlState === 'string'
      ? e.sqlState
      : kind === 'postgres' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)
        ? e.code
        : undefined;
  const message = `${kind} connection "${connection}": ${e.message}`;
  const options = { cause: error, ...(state ? { details: { sqlState: state } } : {}) };
  if (typeof e.errno === 'number' && TRANSIENT_MYSQL_ERRNO.has(e.errno))
    return new TransientError('upstream-unavailable', message, options);
  if (state !== undefined) {
    return TRANSIENT_SQLSTATE.test(state)
      ? new TransientError('upstream-unavailable', message, options)
      : new PermanentError('upstream-rejected', message, options);
  }
  if (typeof e.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code))
    return new TransientError('network', message, options);
  // A driver complaint without a state (a wrong parameter count, say): the statement is wrong.
  return new PermanentError('upstream-rejected', message, options);
}
