import type { Request } from 'express';
import { BadRequest } from './body';

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new BadRequest(`${name} must be a whole number`);
  return n;
}

/**
 * One page of a list endpoint, by offset and size under each vendor's own parameter names
 * (`$skip`/`$top` for the ERP, `offset`/`limit` for the WMS and TMS). No size: everything.
 */
export function page<T>(
  req: Request,
  items: readonly T[],
  names: { offset: string; limit: string },
): T[] {
  const offset = count(req.query[names.offset], names.offset, 0);
  const limit = count(req.query[names.limit], names.limit, items.length);
  return items.slice(offset, offset + limit);
}
