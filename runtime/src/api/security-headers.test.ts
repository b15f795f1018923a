import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

/** The headers an app with only `middleware` answers with (the ones that vary per response aside). */
async function headersOf(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.end('ok');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const out: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!['date', 'connection', 'keep-alive', 'content-length'].includes(name)) out[name] = value;
    });
    return out;
  } finally {
    server.close();
  }
}

describe('security headers', () => {
  it('are exactly what helmet itself sets, computed once', async () => {
    const ours = await headersOf(securityHeaders());
    expect(ours['x-frame-options']).toBe('DENY');
    expect(ours['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(ours['x-powered-by']).toBeUndefined();
    // The same options straight through helmet: not one header differs.
    const reference = await headersOf(
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
    expect(ours).toEqual(reference);
    expect(Object.keys(ours).length).toBeGreaterThan(8);
  });
});
