import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../infra/logger';

const CORRELATION = /^[\w.:-]{1,200}$/;

/**
 * Gives every request a correlation id (the caller's `x-correlation-id` when it is sane, else a
 * new one), echoes it, and logs one JSON line per response (when info lines are logged).
 */
export function requestLog(log: Logger, now: () => number): RequestHandler {
  return (req, res, next) => {
    // `req.headers`, as express's `req.header` reads it: the webhook fast path's request is a
    // plain `node:http` one until it needs express (see express-objects.ts).
    const given = req.headers['x-correlation-id'] as string | undefined;
    const correlationId = given && CORRELATION.test(given) ? given : randomUUID();
    res.locals.correlationId = correlationId;
    res.setHeader('x-correlation-id', correlationId);
    // At warn and above (production under load) the line would be dropped: no listener at all.
    if (!log.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = now();
    res.on('finish', () => {
      log.info(
        {
          correlationId,
          method: req.method,
          // The whole path as sent (no query: it may carry tokens). `req.path` is relative to
          // the router that answered (`/p/orders` for `/hooks/p/orders`), or not, when an error
          // handler answered after the router restored it.
          path: req.originalUrl.split('?', 1)[0],
          status: res.statusCode,
          ms: now() - started,
        },
        'http request',
      );
    });
    next();
  };
}
