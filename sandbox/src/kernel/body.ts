/** A request body or field that does not fit the system's format; answered with 400 or 422. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 422 = 422,
    readonly code = 'INVALID',
  ) {
    super(message);
    this.name = 'BadRequest';
  }
}

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, what: string): Fields {
  if (!isRecord(value)) throw new BadRequest(`${what} must be a JSON object`, 400, 'BAD_BODY');
  return value;
}

export function str(fields: Fields, key: string, what = key): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadRequest(`${what} is required (a non-empty string)`);
  }
  return value;
}

export function optStr(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${key} must be a string`);
  return value;
}

export function num(fields: Fields, key: string, what = key): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BadRequest(`${what} is required (a number)`);
  }
  return value;
}

export function optNum(fields: Fields, key: string): number | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BadRequest(`${key} must be a number`);
  }
  return value;
}

export function list(fields: Fields, key: string, what = key): Fields[] {
  const value = fields[key];
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequest(`${what} must be a non-empty array`);
  }
  return value.map((item, i) => record(item, `${what}[${i}]`));
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new BadRequest(`${what} "${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}
