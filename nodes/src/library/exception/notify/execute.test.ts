import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { json, startTestServer, type TestServer } from '../../../testing/http-server';
import { executeNotify } from './execute';
import { notifyException } from './manifest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.route('POST /hooks/ops', (_req, res) => json(res, 200, { ok: true }));
  server.route('POST /hooks/down', (_req, res) => json(res, 503, {}));
});
afterAll(async () => {
  await server.close();
});

function ctx(config: JsonObject) {
  return fakeContext(
    { connection: 'ops', ...config },
    {
      connection: {
        name: 'ops',
        system: 'notify',
        baseUrl: `${server.origin}/hooks`,
        auth: { type: 'bearer', tokenSecret: 'OPS_TOKEN' },
      },
      secret: (name) => (name === 'OPS_TOKEN' ? 'ops-token' : undefined),
      fetch: (input, init) => fetch(input, init),
    },
  );
}

const failed = {
  error: { code: 'timeout', message: 'slow' },
  input: { orderNumber: 'SO-1' },
  nodeId: 'n',
};

describe('exception.notify', () => {
  it('posts the escalation and passes the message on unchanged', async () => {
    const subject = {
      cat: ['Order ', { var: 'input.orderNumber' }, ' failed: ', { var: 'error.code' }],
    };
    const result = await executeNotify(
      message(failed),
      ctx({ path: '/ops', severity: 'critical', subject }),
    );
    expect(result).toEqual({ emissions: [{ port: 'out', payload: failed }] });
    const sent = server.requests.at(-1);
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      severity: 'critical',
      subject: 'Order SO-1 failed: timeout',
      flowId: 'flow-1',
      runId: 'run-1',
      nodeId: 'node-1',
      message: failed,
    });
    expect(sent?.headers.authorization).toBe('Bearer ops-token');
    expect(sent?.headers['idempotency-key']).toBe('run-1:node-1');
  });

  it('lets the config build the body', async () => {
    await executeNotify(
      message(failed),
      ctx({ path: '/ops', subject: 'x', body: { object: [['text', 'hi']] } }),
    );
    expect(JSON.parse(server.requests.at(-1)?.body ?? '')).toEqual({ text: 'hi' });
  });

  it('classifies a failing endpoint like the HTTP connector', async () => {
    await expect(
      executeNotify(message(failed), ctx({ path: '/down', subject: 'x' })),
    ).rejects.toMatchObject({
      name: 'TransientError',
      code: 'upstream-unavailable',
    });
    await expect(
      executeNotify(message(failed), ctx({ path: '//evil.example/x', subject: 'x' })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'forbidden-host' });
  });

  it('rejects a bad config in validation', () => {
    expect(checkSchema(notifyException.configSchema, { connection: 'ops' })[0]?.pointer).toEqual([
      'subject',
    ]);
    expect(
      checkSchema(notifyException.configSchema, {
        connection: 'ops',
        subject: 'x',
        severity: 'loud',
      })[0]?.pointer,
    ).toEqual(['severity']);
  });
});
