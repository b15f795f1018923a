import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Headers for everything the runtime serves, the designer included: a CSP that only lets the
 * designer's own files run and talk to this origin, no framing (clickjacking), no MIME sniffing,
 * no referrer leaving the page. `'unsafe-eval'` stays because Ajv (the config forms' schema
 * validator) compiles schemas to functions; inline scripts remain forbidden, and inline
 * *styles* are allowed because React Flow positions nodes with style attributes.
 */
export function securityHeaders(): RequestHandler {
  return precomputed(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'", "'unsafe-eval'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'worker-src': ["'self'", 'blob:'],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    }),
  );
}

/**
 * The same headers as `middleware`, set in one step: helmet's answer depends on neither the
 * request nor the response here, so its dozen chained middlewares run once, at start, on a
 * recording response. Falls back to `middleware` itself should it ever need the request.
 */
function precomputed(middleware: RequestHandler): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  let done = false;
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  try {
    middleware({} as never, recorder as never, () => {
      done = true;
    });
  } catch {
    done = false;
  }
  if (!done) return middleware;
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

/** API answers are data, never a document: nothing may load or frame them. */
export const apiContentSecurityPolicy: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  next();
};
