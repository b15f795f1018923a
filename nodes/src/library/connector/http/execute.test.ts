import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionAuth } from '../../../sdk/environment';
import type { NodeContext, ResolvedHttpConnection } from '../../../sdk/executor-types';
import type { JsonObject, JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { json, startTestServer, type TestServer } from '../../../testing/http-server';
import { executeHttp } from './execute';
import { httpConnector } from './manifest';
import { sealToken } from './token-seal';

let server: TestServer;
let elsewhere: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  elsewhere = await startTestServer();
  server.route('GET /api/orders/SO%201', (_req, res) => json(res, 200, { id: 'SO 1' }));
  server.route('POST /api/orders', (req, res) =>
    json(res, 201, { received: JSON.parse(req.body) }),
  );
  server.route('GET /api/text', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('pong');
  });
  server.route('GET /api/empty', (_req, res) => {
    res.writeHead(204).end();
  });
  server.route('GET /api/broken-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{nope');
  });
  server.route('GET /api/status/400', (_req, res) =>
    json(res, 400, { error: 'bad order', filler: 'x'.repeat(5000) }),
  );
  server.route('GET /api/status/404', (_req, res) => json(res, 404, { error: 'gone' }));
  server.route('GET /api/status/408', (_req, res) => json(res, 408, {}));
  server.route('GET /api/status/429', (_req, res) => json(res, 429, {}, { 'retry-after': '7' }));
  server.route('GET /api/status/503', (_req, res) =>
    json(res, 503, {}, { 'retry-after': 'Fri, 27 Nov 2026 10:01:30 GMT' }),
  );
  server.route('GET /api/status/500', (_req, res) => json(res, 500, { error: 'boom' }));
  server.route('GET /api/huge', (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(50 * 1024 * 1024),
    });
    res.write('[');
  });
  server.route('GET /api/slow', () => {
    // Never answers: the node's timeout has to end the call.
  });
  server.route('GET /api/moved', (_req, res) => {
    res.writeHead(302, { location: '/api/orders/SO%201' }).end();
  });
  server.route('GET /api/escape', (_req, res) => {
    res.writeHead(302, { location: `${elsewhere.origin}/steal` }).end();
  });
  server.route('GET /api/escape-path', (_req, res) => {
    res.writeHead(307, { location: '/admin' }).end();
  });
  let tokens = 0;
  server.route('POST /oauth/token', (req, res) => {
    tokens += 1;
    const expected = `Basic ${Buffer.from('client-a:s3cret').toString('base64')}`;
    if (
      req.headers.authorization !== expected ||
      !req.body.includes('grant_type=client_credentials')
    )
      return json(res, 401, { error: 'invalid_client' });
    json(res, 200, { access_token: `token-${tokens}`, expires_in: 3600, token_type: 'Bearer' });
  });
  server.route('GET /api/me', (req, res) =>
    req.headers.authorization === 'Bearer token-stale'
      ? json(res, 401, { error: 'expired' })
      : json(res, 200, { auth: req.headers.authorization ?? null }),
  );
});

afterAll(async () => {
  await server.close();
  await elsewhere.close();
});

const SECRETS: Record<string, string> = {
  ERP_TOKEN: 'tok-1',
  ERP_USER: 'ana',
  ERP_PASSWORD: 'pä:ss',
  ERP_KEY: 'key-9',
  ERP_CLIENT_ID: 'client-a',
  ERP_CLIENT_SECRET: 's3cret',
};

function connection(auth?: ConnectionAuth, extra: Partial<ResolvedHttpConnection> = {}) {
  return {
    name: 'erp',
    system: 'erp',
    baseUrl: `${server.origin}/api`,
    ...(auth ? { auth } : {}),
    ...extra,
  };
}

function ctxFor(
  config: JsonObject,
  auth?: ConnectionAuth,
  overrides: Partial<NodeContext> = {},
): NodeContext & { extras: unknown } {
  return fakeContext(
    { connection: 'erp', ...config },
    {
      connection: connection(auth),
      secret: (name) => SECRETS[name],
      fetch: (input, init) => fetch(input, init),
      ...overrides,
    },
  );
}

async function run(config: JsonObject, payload: JsonValue = {}, auth?: ConnectionAuth) {
  return executeHttp(message(payload), ctxFor(config, auth));
}

function lastRequest() {
  const r = server.requests.at(-1);
  if (!r) throw new Error('no request');
  return r;
}

describe('connector.http: requests', () => {
  it('fills the path template, evaluates the query and parses the JSON answer', async () => {
    const result = await run(
      {
        method: 'GET',
        path: '/orders/{{order.id}}',
        query: { expand: 'lines', site: { upper: { var: 'site' } }, tag: ['a', 'b'], skip: null },
      },
      { order: { id: 'SO 1' }, site: 'deham' },
    );
    expect(result).toEqual({ emissions: [{ port: 'out', payload: { id: 'SO 1' } }] });
    expect(lastRequest().url).toBe('/api/orders/SO%201?expand=lines&site=DEHAM&tag=a&tag=b');
    expect(lastRequest().headers['idempotency-key']).toBeUndefined();
  });

  it('posts the message by default with an idempotency key and connection headers', async () => {
    const ctx = ctxFor(
      { method: 'POST', path: '/orders', headers: { 'X-Trace': 't1' } },
      undefined,
      {
        connection: connection(undefined, { headers: { 'X-Tenant': 'eu' } }),
      },
    );
    const result = await executeHttp(message({ id: 'SO-2' }), ctx);
    expect(result.emissions[0]?.payload).toEqual({ received: { id: 'SO-2' } });
    const req = lastRequest();
    expect(req.headers['idempotency-key']).toBe('run-1:node-1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-trace']).toBe('t1');
    expect(req.headers['x-tenant']).toBe('eu');
    expect(req.headers.authorization).toBeUndefined();
  });

  it('builds the body from an expression and shapes the output', async () => {
    const body = { object: [['ref', { var: 'id' }]] };
    const merged = await run(
      { method: 'POST', path: '/orders', body, output: 'merge' },
      { id: 'A' },
    );
    expect(merged.emissions[0]?.payload).toEqual({ id: 'A', response: { received: { ref: 'A' } } });
    const full = await run({ method: 'POST', path: '/orders', output: 'response' }, { id: 'B' });
    expect(full.emissions[0]?.payload).toMatchObject({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: { received: { id: 'B' } },
    });
  });

  it('passes text through and gives null for an empty answer', async () => {
    expect((await run({ method: 'GET', path: '/text' })).emissions[0]?.payload).toBe('pong');
    expect((await run({ method: 'GET', path: '/empty' })).emissions[0]?.payload).toBeNull();
  });

  it('follows a redirect that stays on the base URL', async () => {
    const result = await run({ method: 'GET', path: '/moved' });
    expect(result.emissions[0]?.payload).toEqual({ id: 'SO 1' });
  });
});

describe('connector.http: auth', () => {
  it.each([
    [{ type: 'none' } as const, undefined],
    [{ type: 'bearer', tokenSecret: 'ERP_TOKEN' } as const, 'Bearer tok-1'],
    [
      { type: 'basic', usernameSecret: 'ERP_USER', passwordSecret: 'ERP_PASSWORD' } as const,
      `Basic ${Buffer.from('ana:pä:ss', 'utf8').toString('base64')}`,
    ],
  ])('%j sends the right Authorization header', async (auth, expected) => {
    const result = await run({ method: 'GET', path: '/me' }, {}, auth);
    expect(result.emissions[0]?.payload).toEqual({ auth: expected ?? null });
  });

  it('sends an API key in its header', async () => {
    await run(
      { method: 'GET', path: '/me' },
      {},
      {
        type: 'api-key',
        header: 'X-Api-Key',
        keySecret: 'ERP_KEY',
      },
    );
    expect(lastRequest().headers['x-api-key']).toBe('key-9');
  });

  it('gets an OAuth2 token once, caches it until it expires on the run clock', async () => {
    const auth: ConnectionAuth = {
      type: 'oauth2-client-credentials',
      tokenUrl: `${server.origin}/oauth/token`,
      clientIdSecret: 'ERP_CLIENT_ID',
      clientSecretSecret: 'ERP_CLIENT_SECRET',
      scope: 'orders',
    };
    const cache = new Map<string, JsonValue>();
    let now = new Date('2026-11-27T10:00:00Z');
    const shared: Partial<NodeContext> = {
      cache: {
        get: async (k) => cache.get(k),
        set: async (k, v) => {
          cache.set(k, v);
        },
        claim: async () => {
          throw new Error('the HTTP connector never claims');
        },
      },
      now: () => now,
    };
    const call = () =>
      executeHttp(message({}), ctxFor({ method: 'GET', path: '/me' }, auth, shared));
    const before = server.requests.filter((r) => r.url === '/oauth/token').length;
    const first = await call();
    const second = await call();
    expect(first.emissions[0]?.payload).toEqual(second.emissions[0]?.payload);
    const tokenCalls = () =>
      server.requests.filter((r) => r.url === '/oauth/token').length - before;
    expect(tokenCalls()).toBe(1);
    expect(server.requests.find((r) => r.url === '/oauth/token')?.body).toContain('scope=orders');
    now = new Date('2026-11-27T11:00:00Z');
    const third = await call();
    expect(tokenCalls()).toBe(2);
    expect(third.emissions[0]?.payload).not.toEqual(first.emissions[0]?.payload);
    // The shared cache holds the token sealed, never in clear.
    const thirdAuth = third.emissions[0]?.payload as { auth: string };
    expect(JSON.stringify([...cache.values()])).not.toContain(
      thirdAuth.auth.slice('Bearer '.length),
    );
    // A token the server no longer accepts is replaced once.
    for (const [key, value] of cache) {
      const stale = await sealToken('token-stale', 's3cret', key);
      cache.set(key, { ...stale, expiresAt: (value as { expiresAt: number }).expiresAt + 1e12 });
    }
    const fourth = await call();
    expect(tokenCalls()).toBe(3);
    expect(fourth.emissions[0]?.payload).toEqual({ auth: expect.stringMatching(/^Bearer token-/) });
  });

  it('fails permanently when the token endpoint refuses the client', async () => {
    const auth: ConnectionAuth = {
      type: 'oauth2-client-credentials',
      tokenUrl: `${server.origin}/oauth/token`,
      clientIdSecret: 'ERP_CLIENT_ID',
      clientSecretSecret: 'ERP_TOKEN',
    };
    await expect(run({ method: 'GET', path: '/me' }, {}, auth)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'upstream-rejected',
      details: { status: 401 },
    });
  });

  it('names a missing secret', async () => {
    await expect(
      run({ method: 'GET', path: '/me' }, {}, { type: 'bearer', tokenSecret: 'NOT_SET' }),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-config',
      message: /"NOT_SET".*set the environment variable NOT_SET, or add it to the secrets file/,
      details: { secretName: 'NOT_SET' },
    });
  });
});

describe('connector.http: error classification', () => {
  it.each([
    ['/status/400', 'PermanentError', 'upstream-rejected', undefined],
    ['/status/404', 'PermanentError', 'not-found', undefined],
    ['/status/408', 'TransientError', 'timeout', undefined],
    ['/status/429', 'TransientError', 'rate-limited', 7000],
    ['/status/503', 'TransientError', 'upstream-unavailable', 90_000],
    ['/status/500', 'TransientError', 'upstream-unavailable', undefined],
  ])('%s is %s %s', async (path, name, code, retryAfterMs) => {
    const error = await run({ method: 'GET', path }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name, code, retryAfterMs });
    const details = (error as { details: { status: number; body: string } }).details;
    expect(details.status).toBe(Number(path.split('/').at(-1)));
    expect(details.body.length).toBeLessThanOrEqual(2001);
  });

  it('keeps the start of a 4xx body in the details', async () => {
    await expect(run({ method: 'GET', path: '/status/400' })).rejects.toMatchObject({
      details: { status: 400, body: expect.stringMatching(/^\{"error":"bad order".*…$/) },
    });
  });

  it('times out with a transient error', async () => {
    await expect(run({ method: 'GET', path: '/slow', timeoutMs: 50 })).rejects.toMatchObject({
      name: 'TransientError',
      code: 'timeout',
    });
  });

  /** A context with a step signal and deadline whose fetch records the signal it is sent with. */
  function recordingSignals(timeoutMs: number, stepLeftMs: number) {
    const signals: (AbortSignal | null | undefined)[] = [];
    const step = new AbortController();
    const ctx = ctxFor({ method: 'GET', path: '/slow', timeoutMs }, undefined, {
      signal: step.signal,
      deadline: Date.now() + stepLeftMs,
      fetch: (input, init) => {
        signals.push(init?.signal);
        return fetch(input, init);
      },
    });
    return { signals, step, ctx };
  }

  it('times out on its own timer when the step has time left beyond the call', async () => {
    const { signals, step, ctx } = recordingSignals(50, 60_000);
    await expect(executeHttp(message({}), ctx)).rejects.toMatchObject({
      name: 'TransientError',
      code: 'timeout',
      message: expect.stringContaining('did not answer within 50 ms'),
    });
    expect(signals[0]).not.toBe(step.signal);
  });

  it("sends with the step's signal itself when the step runs out of time first", async () => {
    const { signals, step, ctx } = recordingSignals(60_000, 50);
    // The step's timer, as the run loop's would.
    setTimeout(() => step.abort(new Error('step timeout')), 50);
    await expect(executeHttp(message({}), ctx)).rejects.toMatchObject({
      name: 'TransientError',
      code: 'aborted',
    });
    expect(signals).toEqual([step.signal]);
  });

  it('reports a cancelled run as aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      executeHttp(
        message({}),
        ctxFor({ method: 'GET', path: '/slow' }, undefined, { signal: controller.signal }),
      ),
    ).rejects.toMatchObject({ name: 'TransientError', code: 'aborted' });
  });

  it('treats an unreachable host as a transient network error', async () => {
    const gone = await startTestServer();
    await gone.close();
    const ctx = ctxFor({ method: 'GET', path: '/x' }, undefined, {
      connection: { name: 'erp', system: 'erp', baseUrl: gone.origin },
    });
    await expect(executeHttp(message({}), ctx)).rejects.toMatchObject({
      name: 'TransientError',
      code: 'network',
    });
  });

  it('refuses an answer larger than a message may be', async () => {
    await expect(run({ method: 'GET', path: '/huge' })).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'upstream-rejected',
      details: { size: 50 * 1024 * 1024 },
    });
  });

  it('refuses a 2xx answer with broken JSON', async () => {
    await expect(run({ method: 'GET', path: '/broken-json' })).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'upstream-rejected',
    });
  });

  it('needs a connection and a value for each path field', async () => {
    await expect(
      executeHttp(
        message({}),
        ctxFor({ method: 'GET', path: '/x' }, undefined, { connection: undefined }),
      ),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'connection-missing' });
    await expect(run({ method: 'GET', path: '/orders/{{id}}' }, {})).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
      message: /"id"/,
    });
  });

  it('refuses a config that slipped past validation', async () => {
    await expect(run({ method: 'TRACE', path: '/x' })).rejects.toMatchObject({
      code: 'invalid-config',
    });
    await expect(
      run({ method: 'GET', path: '/x', headers: { Authorization: 'x' } }),
    ).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });
});

describe('connector.http: stays on its host', () => {
  const tricks = [
    '//evil.com/x',
    '/../admin',
    '/orders/..',
    '/a/./b',
    '/a/%2F../admin',
    '/a/%2e%2e/admin',
    '/@evil.com',
    '/http://evil.com',
    '/a\\..\\admin',
  ];

  it.each(tricks)('validation refuses the path %s', (path) => {
    const problems = checkSchema(httpConnector.configSchema, {
      connection: 'erp',
      method: 'GET',
      path,
    });
    expect(problems).toEqual([expect.objectContaining({ pointer: ['path'] })]);
  });

  it.each(tricks)('the executor refuses %s without calling anyone', async (path) => {
    const count = server.requests.length + elsewhere.requests.length;
    await expect(run({ method: 'GET', path })).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'forbidden-host',
    });
    expect(server.requests.length + elsewhere.requests.length).toBe(count);
  });

  it('encodes message values so they stay one segment, and refuses dot segments', async () => {
    await run({ method: 'GET', path: '/orders/{{id}}' }, { id: 'a/../../b?c=1#d' }).catch(
      () => null,
    );
    expect(lastRequest().url).toBe('/api/orders/a%2F..%2F..%2Fb%3Fc%3D1%23d');
    await expect(
      run({ method: 'GET', path: '/orders/{{id}}' }, { id: '..' }),
    ).rejects.toMatchObject({
      code: 'forbidden-host',
    });
  });

  it('refuses a redirect to another origin or off the base path', async () => {
    for (const path of ['/escape', '/escape-path']) {
      await expect(run({ method: 'GET', path })).rejects.toMatchObject({
        name: 'PermanentError',
        code: 'forbidden-host',
      });
    }
    expect(elsewhere.requests).toEqual([]);
  });

  it('validation reports a missing path and a reserved header clearly', () => {
    expect(checkSchema(httpConnector.configSchema, { connection: 'erp', method: 'GET' })).toEqual([
      expect.objectContaining({ pointer: ['path'], message: 'The field "path" is required.' }),
    ]);
    expect(
      checkSchema(httpConnector.configSchema, {
        connection: 'erp',
        method: 'GET',
        path: '/x',
        headers: { Host: 'evil.com' },
      }).length,
    ).toBeGreaterThan(0);
  });
});
