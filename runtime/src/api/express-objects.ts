import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';

/** Requests the webhook fast path took, still plain `node:http` objects, with their app. */
const plain = new WeakMap<IncomingMessage, Express>();

/**
 * Marks a request the fast path took: it stays a plain `node:http` request and response until
 * something needs express's helpers. Giving them express's prototypes (as `app.handle` does for
 * every request) costs V8 the shapes Node's HTTP code is optimized for, about a sixth of the CPU
 * of an accepted delivery, so the common answer (202) is written without them.
 */
export function deferExpress(req: IncomingMessage, app: Express): void {
  plain.set(req, app);
}

/**
 * `req` and `res` as express's request and response (what `app.handle` does before its
 * router), for express's answer helpers (`res.status().json()`, `res.send`, `req.path`). A
 * no-op for a request express routed, or one already switched.
 */
export function asExpress(
  req: IncomingMessage,
  res: ServerResponse,
): { req: Request; res: Response } {
  const app = plain.get(req);
  if (app) {
    plain.delete(req);
    const request = req as Request;
    const response = res as Response;
    request.res = response;
    response.req = request;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
  }
  return { req: req as Request, res: res as Response };
}
