import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const prefix = uniquePrefix('safe-test');
let server: TestServer;
let runtime: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: { CROSSDOCK_API_KEYS: 'analyst:analyst-key-1', TEST_API_TOKEN: 'tok-secret-1' },
  });
  runtime.startWorker(4);
  http = serveChecked(createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }));
  await new Promise((r) => http.once('listening', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

async function call(method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: 'Bearer analyst-key-1',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

const shipFlow = () =>
  flowDoc(
    'ship',
    [
      node('start', 'trigger.manual', {}),
      httpNode('send', '/orders'),
      node('after', 'mapping.map', { fields: [{ target: 'id', expression: { var: 'wmsId' } }] }),
    ],
    [edge('start', 'send'), edge('send', 'after')],
  );

describe('safe test runs', () => {
  it('pins node samples through the flow-files API and refuses a bad node id', async () => {
    const put = await call('PUT', '/api/flow-files/ship/pins/send', {
      input: { order: 'SO-1' },
      output: { wmsId: 'W-77' },
    });
    expect(put.status).toBe(200);
    expect((await call('GET', '/api/flow-files/ship/pins')).body).toEqual({
      pins: { send: { input: { order: 'SO-1' }, output: { wmsId: 'W-77' } } },
    });
    expect((await call('PUT', '/api/flow-files/ship/pins/..%2Fx', { input: 1 })).status).toBe(400);
    expect((await call('PUT', '/api/flow-files/ship/pins/send', { other: 1 })).status).toBe(400);
  });

  it('answers side-effecting nodes from their pinned output and sends nothing', async () => {
    const before = server.calls.get('/orders') ?? 0;
    const started = await call('POST', '/api/flows/ship/test-runs', {
      flow: shipFlow(),
      payload: { order: 'SO-1' },
    });
    expect(started.status).toBe(202);
    expect(started.body.sent).toBe(false);
    const run = await waitForRun(runtime, String(started.body.runId));
    expect(run.status).toBe('succeeded');
    expect(server.calls.get('/orders') ?? 0).toBe(before);
    const send = run.steps.find((s) => s.nodeId === 'send');
    expect(send?.notSent).toEqual([
      { method: 'POST', url: `${server.url}/orders`, body: { order: 'SO-1' } },
    ]);
    expect(JSON.stringify(send)).not.toContain('tok-secret-1');
    const after = run.steps.find((s) => s.nodeId === 'after');
    expect(after?.output?.[0]?.payload).toEqual({ id: 'W-77' });
  });

  it('sends for real when asked, and stops after the chosen node', async () => {
    const before = server.calls.get('/orders') ?? 0;
    const started = await call('POST', '/api/flows/ship/test-runs', {
      flow: shipFlow(),
      payload: { order: 'SO-2' },
      send: true,
      stopAt: 'send',
    });
    const run = await waitForRun(runtime, String(started.body.runId));
    expect(run.status).toBe('succeeded');
    expect(server.calls.get('/orders')).toBe(before + 1);
    expect(run.steps.map((s) => s.nodeId)).toEqual(['start', 'send']);
    expect(run.steps[1]?.notSent).toBeUndefined();
    const bad = await call('POST', '/api/flows/ship/test-runs', {
      flow: shipFlow(),
      stopAt: 'nope',
    });
    expect(bad.status).toBe(400);
    expect(
      (await call('POST', '/api/flows/ship/test-runs', { flow: shipFlow(), send: 'yes' })).status,
    ).toBe(400);
  });

  it('keeps failed test runs out of the exception queue', async () => {
    server.handler = (_req, res) => {
      res.statusCode = 422;
      res.end('{"error":"no"}');
    };
    const started = await call('POST', '/api/flows/ship/test-runs', {
      flow: shipFlow(),
      payload: { order: 'SO-3' },
      send: true,
    });
    const run = await waitForRun(runtime, String(started.body.runId));
    expect(run.status).toBe('failed');
    const queue = await runtime.runs.exceptions(50);
    expect(JSON.stringify(queue)).not.toContain(run.id);
  });
});
