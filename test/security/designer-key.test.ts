import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEYS,
  call,
  externalAddress,
  KEYS,
  type ServeProcess,
  serveRefuses,
  startServe,
} from './harness';

/** GET with a chosen `Host` header (fetch does not let a caller set it). */
function getWithHost(port: number, p: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('issue 11.1: the designer config never hands out a configured key', () => {
  let keyed: ServeProcess;
  let devOnly: ServeProcess;

  beforeAll(async () => {
    // CROSSDOCK_ENV unset (development) with keys configured: the case that leaked the admin key.
    [keyed, devOnly] = await Promise.all([
      startServe('keyed', { CROSSDOCK_API_KEYS: API_KEYS }),
      startServe('dev-only', {}),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([keyed?.stop(), devOnly?.stop()]);
  });

  it('answers null to anyone when keys are configured, and the designer must sign in', async () => {
    const answer = await call(keyed.url, 'GET', '/designer-config.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ apiKey: null });
    for (const key of Object.values(KEYS)) expect(answer.text).not.toContain(key);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // With no key the API is closed; the configured admin key works.
    expect((await call(keyed.url, 'GET', '/api/flows')).status).toBe(401);
    expect((await call(keyed.url, 'GET', '/api/flows', { key: KEYS.admin })).status).toBe(200);
  });

  it('gives the development key only to a loopback request with a loopback Host', async () => {
    const local = await call(devOnly.url, 'GET', '/designer-config.json');
    expect(local.body).toEqual({ apiKey: 'crossdock-dev-admin' });
    expect(
      JSON.parse(
        await getWithHost(devOnly.port, '/designer-config.json', `localhost:${devOnly.port}`),
      ),
    ).toEqual({ apiKey: 'crossdock-dev-admin' });
    expect(
      JSON.parse(await getWithHost(devOnly.port, '/designer-config.json', `[::1]:${devOnly.port}`)),
    ).toEqual({ apiKey: 'crossdock-dev-admin' });
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host.
    for (const host of ['evil.example', `evil.example:${devOnly.port}`, '127.0.0.1.evil.example']) {
      expect(JSON.parse(await getWithHost(devOnly.port, '/designer-config.json', host))).toEqual({
        apiKey: null,
      });
    }
  });

  const external = externalAddress();
  it.skipIf(external === undefined)(
    'listens on loopback by default: another interface of the machine is refused',
    async () => {
      await expect(fetch(`http://${external}:${devOnly.port}/healthz`)).rejects.toThrow();
      expect((await fetch(`${devOnly.url}/healthz`)).status).toBe(200);
    },
  );
});

describe('issue 11.1: HOST', () => {
  it('refuses to listen on all interfaces with the development key', async () => {
    const refused = await serveRefuses({ HOST: '0.0.0.0' });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('HOST=0.0.0.0');
    expect(refused.output).toContain('CROSSDOCK_API_KEYS');
  }, 90_000);

  it('listens on all interfaces when told to, with keys configured', async () => {
    const open = await startServe('all-interfaces', {
      HOST: '0.0.0.0',
      CROSSDOCK_API_KEYS: API_KEYS,
    });
    try {
      const external = externalAddress();
      const base = external ? `http://${external}:${open.port}` : open.url;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await call(base, 'GET', '/designer-config.json')).body).toEqual({ apiKey: null });
    } finally {
      await open.stop();
    }
  }, 90_000);
});
