import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, call, KEYS, type ServeProcess, startServe } from './harness';

describe('issue 11.8: security headers on the designer and the API', () => {
  let serve: ServeProcess;

  beforeAll(async () => {
    serve = await startServe('headers', { CROSSDOCK_API_KEYS: API_KEYS });
  }, 90_000);

  afterAll(async () => {
    await serve?.stop();
  });

  it('the designer may not be framed, sniffed or run foreign scripts', async () => {
    for (const p of ['/designer-config.json', '/']) {
      const res = await call(serve.url, 'GET', p);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('API answers load nothing and frame nowhere, errors included', async () => {
    for (const options of [{ key: KEYS.viewer }, {}]) {
      const res = await call(serve.url, 'GET', '/api/flows', options);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    const hook = await call(serve.url, 'POST', '/hooks/nobody', { body: {} });
    expect(hook.status).toBe(404);
    expect(hook.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
