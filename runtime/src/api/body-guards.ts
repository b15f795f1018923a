import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * Whether `value` nests deeper than `max` arrays/objects. Iterative, so a hostile 10,000-deep
 * document cannot overflow the stack here (it would later, in `JSON.stringify` or the validator).
 */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function tooDeep(max: number): ApiError {
  return new ApiError(
    400,
    'too-deep',
    `The JSON body nests deeper than ${max} levels (CROSSDOCK_MAX_JSON_DEPTH).`,
  );
}

/** 400 for a parsed JSON body nested deeper than `max`. */
export function limitJsonDepth(max: number): RequestHandler {
  return (req, _res, next) => {
    if (exceedsDepth(req.body, max)) throw tooDeep(max);
    next();
  };
}

/**
 * 415 for a body that is not JSON: without it, a form post or `text/plain` body was skipped by
 * the JSON parser and the route went on with no body at all (a run started with `null`).
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  // An empty body (`Content-Length: 0`, as fetch sends a bodiless POST) is no body at all.
  const empty = req.headers['content-length'] === '0';
  if (!empty && req.is(['application/json', 'application/*+json']) === false) {
    throw new ApiError(
      415,
      'unsupported-media-type',
      `Send the body as JSON (Content-Type: application/json), not ${req.headers['content-type'] ?? 'no content type'}.`,
    );
  }
  next();
};
