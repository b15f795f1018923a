import { startTestServer, type TestServer } from '@crossdock/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow, type EngineStack, startEngineStack } from './engine-harness';

/**
 * Issue 11 item 5: secrets and values derived from them (the basic-auth base64, an OAuth access
 * token, a bearer header echoed in an upstream error body) reached Redis, traces, logs and the
 * exception queue; `password` fields sat in clear in the stored checkpoint and input. Runs on the
 * real runtime, then every Redis key of the prefix and every log line is scanned for them.
 */
const SECRETS = {
  WMS_TOKEN: 'wms-bearer-token-8d1f2a',
  TMS_USER: 'crossdock',
  TMS_PASSWORD: 'tms-password-77Qx',
  ERP_CLIENT_ID: 'erp-client-id-3c9',
  ERP_CLIENT_SECRET: 'erp-client-secret-v7Nw',
};
const ACCESS_TOKEN = 'oauth-access-token-Zk41Hq';
const PAYLOAD_PASSWORD = 'payload-password-9Rj2';
const BASIC = Buffer.from(`${SECRETS.TMS_USER}:${SECRETS.TMS_PASSWORD}`).toString('base64');

describe('security: nothing secret is stored or logged', () => {
  let stack: EngineStack;
  let upstream: TestServer;

  beforeAll(async () => {
    upstream = await startTestServer();
    upstream.handler = (req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/oauth/token') {
        res.end(JSON.stringify({ access_token: ACCESS_TOKEN, expires_in: 3600 }));
        return;
      }
      // A careless upstream that echoes the credential it was given in its error body.
      res.statusCode = 422;
      res.end(JSON.stringify({ error: 'rejected', received: req.headers.authorization }));
    };
    const url = upstream.url;
    const connection = (auth: object) => ({
      system: 'http',
      baseUrl: url,
      auth,
      allowPrivateNetwork: true,
    });
    stack = await startEngineStack({
      connections: {
        wms: connection({ type: 'bearer', tokenSecret: 'WMS_TOKEN' }),
        tms: connection({
          type: 'basic',
          usernameSecret: 'TMS_USER',
          passwordSecret: 'TMS_PASSWORD',
        }),
        erp: connection({
          type: 'oauth2-client-credentials',
          tokenUrl: `${url}/oauth/token`,
          clientIdSecret: 'ERP_CLIENT_ID',
          clientSecretSecret: 'ERP_CLIENT_SECRET',
        }),
      },
      env: SECRETS,
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await upstream?.close();
  });

  it('keeps secrets and derived values out of every Redis key and every log line', async () => {
    const runs: string[] = [];
    for (const system of ['wms', 'tms', 'erp']) {
      const id = `sec-secrets-${system}`;
      await stack.deploy(
        chainFlow(id, [
          {
            id: 'shape',
            type: 'mapping.map',
            config: {
              fields: [
                { target: 'order', expression: { var: 'order' } },
                { target: 'password', expression: { var: 'password' } },
              ],
            },
          },
          {
            id: 'call',
            type: 'connector.http',
            config: { connection: system, method: 'POST', path: '/orders' },
          },
        ]),
      );
      const runId = await stack.start(id, { order: 'crossdock-7', password: PAYLOAD_PASSWORD });
      const run = (await stack.waitForRun(runId)) as {
        status: string;
        failure?: { error: { code: string; message: string } };
        steps: { input: { order?: string } }[];
      };
      expect(run.status).toBe('failed');
      expect(run.failure?.error.code).toBe('upstream-rejected');
      // Ordinary words survive: the basic-auth user "crossdock" is not a secret to blank.
      expect(run.steps[0]?.input.order).toBe('crossdock-7');
      runs.push(runId);
    }

    const forbidden = {
      ...SECRETS,
      TMS_USER: undefined,
      ACCESS_TOKEN,
      PAYLOAD_PASSWORD,
      BASIC,
      BASIC_URL_ENCODED: encodeURIComponent(BASIC),
    };
    const dump = await stack.dumpRedis();
    expect(dump.size).toBeGreaterThan(10);
    // The scan covers the run hashes (trigger, checkpoint, input, failure), the step lists, the
    // exception queue, run state and the shared token cache.
    expect([...dump.keys()].some((k) => k.includes(':cache:'))).toBe(true);
    for (const [key, value] of dump) {
      for (const [name, secret] of Object.entries(forbidden)) {
        if (secret === undefined) continue;
        expect(value.includes(secret), `${name} in ${key}`).toBe(false);
      }
    }
    const runKey = [...dump.keys()].find((k) => k.endsWith(`:run:${runs[0]}`));
    expect(runKey, 'the run hash was scanned').toBeDefined();
    expect(dump.get(runKey as string)).toContain('[redacted]');

    const logs = stack.server.output();
    expect(logs).toContain('crossdock');
    for (const [name, secret] of Object.entries(forbidden)) {
      if (secret === undefined) continue;
      expect(logs.includes(secret), `${name} in the logs`).toBe(false);
    }

    const exceptions = await stack.api('GET', '/api/exceptions');
    const text = JSON.stringify(exceptions.body);
    for (const runId of runs) expect(text).toContain(runId);
    expect(text).not.toContain(BASIC);
    expect(text).not.toContain(ACCESS_TOKEN);
  });
});

describe('security: short secrets', () => {
  const connections = {
    tms: {
      system: 'http',
      baseUrl: 'https://tms.example.com',
      auth: { type: 'basic', usernameSecret: 'TMS_USER', passwordSecret: 'TMS_PASSWORD' },
    },
  };

  it('are refused outside development, naming the secret', async () => {
    await expect(
      startEngineStack({
        envName: 'staging',
        connections,
        env: {
          TMS_USER: 'ops',
          TMS_PASSWORD: 'abc12',
          CROSSDOCK_API_KEYS: 'admin:staging-admin-key-1',
        },
      }),
    ).rejects.toThrow(/TMS_PASSWORD has 5 characters; secrets under 8 characters/);
  }, 60_000);

  it('are warned about in development, and do not blank ordinary words', async () => {
    const stack = await startEngineStack({
      connections,
      env: { TMS_USER: 'ops', TMS_PASSWORD: 'order' },
    });
    try {
      expect(stack.server.output()).toMatch(/TMS_PASSWORD has 5 characters.*Development only/);
      await stack.deploy(
        chainFlow('sec-short', [
          {
            id: 'map',
            type: 'mapping.map',
            config: { fields: [{ target: 'text', expression: { var: 'text' } }] },
          },
        ]),
      );
      const run = (await stack.waitForRun(
        await stack.start('sec-short', { text: 'order ops' }),
      )) as { status: string; steps: { output?: { payload: { text: string } }[] }[] };
      expect(run.status).toBe('succeeded');
      expect(run.steps[1]?.output?.[0]?.payload.text).toBe('order ops');
    } finally {
      await stack.stop();
    }
  }, 60_000);
});
