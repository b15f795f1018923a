import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { formatFlow } from '@crossdock/nodes';
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

const prefix = uniquePrefix('api');
const KEYS = 'viewer:viewer-key-1,analyst:analyst-key-1,operator:operator-key-1,admin:admin-key-12';
let server: TestServer;
let runtime: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url, { secrets: ['HOOK_SECRET'] });
  mkdirSync(path.join(flows.dir, 'samples', 'hooked'), { recursive: true });
  writeFileSync(path.join(flows.dir, 'samples', 'hooked', 'first.json'), '{"order":"S-1"}');
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: {
      CROSSDOCK_API_KEYS: KEYS,
      CROSSDOCK_BODY_LIMIT: '2kb',
      HOOK_SECRET: 'hook-signing-secret',
    },
  });
  runtime.startWorker(10);
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

async function call(
  method: string,
  url: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

function expectError(
  res: { status: number; body: { error?: { code: string; message: string } } },
  status: number,
  code?: string,
) {
  expect(res.status).toBe(status);
  expect(typeof res.body.error?.message).toBe('string');
  if (code) expect(res.body.error?.code).toBe(code);
}

const hooked = () =>
  flowDoc(
    'hooked',
    [
      node('hook', 'trigger.webhook', { path: 'partner/orders' }),
      node('map', 'mapping.map', { fields: [{ target: 'ref', expression: { var: 'order' } }] }),
    ],
    [edge('hook', 'map')],
    { idempotencyKey: { var: 'order' }, businessKeys: { order: { var: 'order' } } },
  );

describe('HTTP API', () => {
  it('answers 401 without a key and 403 for a role that may not', async () => {
    expectError(await call('GET', '/api/flows', undefined), 401, 'unauthenticated');
    expectError(await call('GET', '/api/flows', 'wrong-key-xx'), 401);
    expectError(await call('PUT', '/api/flows/hooked', 'viewer-key-1', hooked()), 403, 'forbidden');
    expectError(await call('POST', '/api/runs/x/discard', 'analyst-key-1', { reason: 'r' }), 403);
  });

  it('deploys (201, 200 same body, 409 changed body, 400 invalid) and lists versions', async () => {
    const doc = hooked();
    const created = await call('PUT', '/api/flows/hooked', 'analyst-key-1', doc);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'hooked', version: '1.0.0', created: true });
    expect((await call('PUT', '/api/flows/hooked', 'admin-key-12', doc)).status).toBe(200);
    const changed = { ...doc, name: 'changed' };
    expectError(
      await call('PUT', '/api/flows/hooked', 'admin-key-12', changed),
      409,
      'version-conflict',
    );
    const invalid = await call('PUT', '/api/flows/hooked', 'admin-key-12', { ...doc, nodes: [] });
    expectError(invalid, 400, 'invalid-flow');
    expect(
      Array.isArray(
        (invalid.body.error as unknown as { details: { diagnostics: unknown[] } }).details
          .diagnostics,
      ),
    ).toBe(true);
    const versions = await call('GET', '/api/flows/hooked/versions', 'viewer-key-1');
    expect(versions.body).toMatchObject({ id: 'hooked', versions: [{ version: '1.0.0' }] });
    const one = await call('GET', '/api/flows/hooked/versions/1.0.0', 'viewer-key-1');
    expect(one.body).toMatchObject({ flow: { id: 'hooked' } });
    expectError(
      await call('GET', '/api/flows/hooked/versions/9.9.9', 'viewer-key-1'),
      404,
      'not-found',
    );
    const list = await call('GET', '/api/flows', 'viewer-key-1');
    expect(list.body.flows).toEqual([
      { id: 'hooked', name: 'hooked', latestVersion: '1.0.0', versions: 1 },
    ]);
  });

  it('starts one run when the same webhook is delivered 5 times', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(await call('POST', '/hooks/partner/orders', undefined, { order: 'WH-5' }));
    expect(answers[0]?.status).toBe(202);
    const runId = answers[0]?.body.runId;
    for (const a of answers.slice(1))
      expect(a).toMatchObject({ status: 200, body: { runId, duplicate: true } });
    const run = await waitForRun(runtime, String(runId));
    expect(run.status).toBe('succeeded');
    expect(answers[0]?.headers.get('x-correlation-id')).toBe(run.correlationId);
    const byKey = await call('GET', '/api/runs?key=WH-5', 'viewer-key-1');
    expect((byKey.body.runs as { id: string }[]).map((r) => r.id)).toEqual([runId]);
    const detail = await call('GET', `/api/runs/${String(runId)}`, 'viewer-key-1');
    expect(detail.body).toMatchObject({
      id: runId,
      status: 'succeeded',
      steps: [{ nodeId: 'hook' }, { nodeId: 'map', output: [{ payload: { ref: 'WH-5' } }] }],
    });
    expectError(await call('POST', '/hooks/nobody/listens', undefined, {}), 404);
  });

  it('checks webhook signatures when the trigger names a secret', async () => {
    const doc = {
      ...hooked(),
      id: 'signed',
      nodes: [
        node('hook', 'trigger.webhook', { path: 'partner/signed', signatureSecret: 'HOOK_SECRET' }),
        node('map', 'mapping.map', { fields: [] }),
      ],
    };
    expect((await call('PUT', '/api/flows/signed', 'admin-key-12', doc)).status).toBe(201);
    const raw = '{"order":"SIG-1"}';
    expectError(
      await call('POST', '/hooks/partner/signed', undefined, raw),
      401,
      'invalid-signature',
    );
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', 'hook-signing-secret').update(`${ts}.${raw}`).digest('hex');
    const ok = await call('POST', '/hooks/partner/signed', undefined, raw, {
      'x-crossdock-timestamp': ts,
      'x-crossdock-signature': sig,
    });
    expect(ok.status).toBe(202);
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const oldSig = createHmac('sha256', 'hook-signing-secret')
      .update(`${old}.${raw}`)
      .digest('hex');
    expectError(
      await call('POST', '/hooks/partner/signed', undefined, raw, {
        'x-crossdock-timestamp': old,
        'x-crossdock-signature': oldSig,
      }),
      401,
    );
  });

  it('answers 413 for a body over the limit, 400 for bad JSON, 404 for unknown routes', async () => {
    expectError(
      await call('POST', '/api/flows/hooked/runs', 'analyst-key-1', { blob: 'x'.repeat(4000) }),
      413,
      'payload-too-large',
    );
    expectError(
      await call('POST', '/api/flows/hooked/runs', 'analyst-key-1', '{"broken'),
      400,
      'invalid-json',
    );
    expectError(await call('GET', '/api/nothing-here', 'viewer-key-1'), 404, 'not-found');
    expectError(await call('GET', '/nothing-here', undefined), 404, 'not-found');
    expectError(await call('GET', '/api/runs/run_missing', 'viewer-key-1'), 404);
    expectError(await call('GET', '/api/runs?status=weird', 'viewer-key-1'), 400);
  });

  it('starts runs through the API, deduplicated by the idempotency key', async () => {
    const first = await call('POST', '/api/flows/hooked/runs', 'analyst-key-1', { order: 'API-1' });
    expect(first.status).toBe(202);
    const again = await call('POST', '/api/flows/hooked/runs', 'analyst-key-1', { order: 'API-1' });
    expect(again.body).toEqual({ runId: first.body.runId, duplicate: true });
    expectError(await call('POST', '/api/flows/not-deployed/runs', 'analyst-key-1', {}), 404);
  });

  it('replays and discards failed runs through the API (operator), listing exceptions', async () => {
    const doc = flowDoc(
      'fails',
      [node('t', 'trigger.manual'), httpNode('call', '/api-fail')],
      [edge('t', 'call')],
    );
    server.handler = (req, res) => {
      res.statusCode = req.url === '/api-fail' ? 400 : 200;
      res.end('{}');
    };
    expect((await call('PUT', '/api/flows/fails', 'admin-key-12', doc)).status).toBe(201);
    const a = await call('POST', '/api/flows/fails/runs', 'analyst-key-1', { n: 1 });
    const b = await call('POST', '/api/flows/fails/runs', 'analyst-key-1', { n: 2 });
    for (const r of [a, b])
      expect((await waitForRun(runtime, String(r.body.runId))).status).toBe('failed');
    const exceptions = await call('GET', '/api/exceptions', 'viewer-key-1');
    expect((exceptions.body.runs as { id: string }[]).map((r) => r.id).sort()).toEqual(
      [a.body.runId, b.body.runId].sort(),
    );
    expectError(
      await call('POST', `/api/runs/${String(a.body.runId)}/discard`, 'operator-key-1', {}),
      400,
    );
    const discarded = await call(
      'POST',
      `/api/runs/${String(a.body.runId)}/discard`,
      'operator-key-1',
      { reason: 'test order' },
    );
    expect(discarded.body).toMatchObject({
      status: 'discarded',
      resolution: { reason: 'test order' },
    });
    const replay = await call(
      'POST',
      `/api/runs/${String(b.body.runId)}/replay`,
      'operator-key-1',
      { fromStart: true },
      { 'x-crossdock-user': 'jane' },
    );
    expect(replay.status).toBe(202);
    const replayed = await waitForRun(runtime, String(replay.body.runId));
    expect(replayed.replayOf).toMatchObject({ runId: b.body.runId, by: 'jane (operator)' });
    expect(replayed.steps[0]?.nodeId).toBe('t');
    expect((await call('GET', '/api/exceptions', 'viewer-key-1')).body.runs).toMatchObject([
      { id: replayed.id },
    ]);
    const failedList = await call('GET', '/api/runs?flow=fails&status=failed', 'viewer-key-1');
    expect((failedList.body.runs as { id: string }[]).map((r) => r.id)).toEqual([replayed.id]);
    const original = await call('GET', `/api/runs/${String(b.body.runId)}`, 'viewer-key-1');
    expect(original.body).toMatchObject({ status: 'replaying', replayedBy: replayed.id });
    const again = await call('POST', `/api/runs/${String(b.body.runId)}/replay`, 'operator-key-1', {
      fromStart: true,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'already-replayed' } });
  });

  it('runs an unsaved document as a test version and serves that version', async () => {
    const doc = { ...hooked(), name: 'edited in the designer' };
    const started = await call('POST', '/api/flows/hooked/test-runs', 'analyst-key-1', {
      flow: doc,
      payload: { order: 'API-1' },
    });
    expect(started.status).toBe(202);
    const version = String(started.body.version);
    expect(version).toMatch(/^1\.0\.0\+test\.[0-9a-f]{10}$/);
    const run = await waitForRun(runtime, String(started.body.runId));
    expect(run).toMatchObject({ status: 'succeeded', version, test: true });
    const deployed = await call(
      'GET',
      `/api/flows/hooked/versions/${encodeURIComponent(version)}`,
      'viewer-key-1',
    );
    expect(deployed.body).toMatchObject({ flow: { name: 'edited in the designer' } });
    expect((await call('GET', '/api/flows', 'viewer-key-1')).body.flows).toContainEqual(
      expect.objectContaining({ id: 'hooked', latestVersion: '1.0.0' }),
    );
  });

  it('reads and writes flow files in development, refusing path traversal', async () => {
    const doc = hooked();
    const saved = await call('PUT', '/api/flow-files/hooked', 'analyst-key-1', { flow: doc });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: 'hooked', previousText: null, text: formatFlow(doc) });
    expect(readFileSync(path.join(flows.dir, 'hooked.flow.json'), 'utf8')).toBe(formatFlow(doc));
    const broken = await call('PUT', '/api/flow-files/hooked', 'analyst-key-1', {
      flow: { ...doc, nodes: [] },
    });
    expect(broken.status).toBe(200);
    expect(
      (broken.body.diagnostics as { severity: string }[]).some((d) => d.severity === 'error'),
    ).toBe(true);
    expect(broken.body.previousText).toBe(formatFlow(doc));
    const list = await call('GET', '/api/flow-files', 'viewer-key-1');
    expect(list.body.files).toMatchObject([{ id: 'hooked', valid: false, version: '1.0.0' }]);
    const one = await call('GET', '/api/flow-files/hooked', 'viewer-key-1');
    expect(one.body).toMatchObject({ id: 'hooked', flow: { id: 'hooked' } });
    const samples = await call('GET', '/api/flow-files/hooked/samples', 'viewer-key-1');
    expect(samples.body).toEqual({ samples: [{ name: 'first', payload: { order: 'S-1' } }] });
    expectError(await call('PUT', '/api/flow-files/hooked', 'viewer-key-1', { flow: doc }), 403);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '..', '.hidden', 'a..b']) {
      const res = await call('GET', `/api/flow-files/${bad}`, 'viewer-key-1');
      expect([400, 404]).toContain(res.status);
      expect(res.body.error).toBeDefined();
    }
    expectError(
      await call('PUT', '/api/flow-files/..%2Fescape', 'admin-key-12', { flow: doc }),
      400,
      'invalid-id',
    );
    expect((await call('DELETE', '/api/flow-files/hooked', 'analyst-key-1')).status).toBe(204);
    expectError(await call('GET', '/api/flow-files/hooked', 'viewer-key-1'), 404);
  });

  it('serves the catalog, the environment without secrets, the OpenAPI document and designer config', async () => {
    const nodes = await call('GET', '/api/nodes', 'viewer-key-1');
    expect((nodes.body.nodes as { type: string }[]).map((n) => n.type)).toContain('rule.branch');
    const env = await call('GET', '/api/environment', 'viewer-key-1');
    expect(env.body).toEqual({
      name: 'dev',
      editable: true,
      connections: [{ name: 'api', kind: 'http', system: 'http', baseUrl: server.url }],
    });
    const doc = await call('GET', '/api/openapi.json', 'viewer-key-1');
    expect(doc.body.openapi).toBe('3.1.0');
    for (const p of [
      '/api/flows/{id}',
      '/api/runs',
      '/api/flow-files/{id}',
      '/api/flows/{id}/test-runs',
      '/hooks/{path}',
    ]) {
      expect(Object.keys(doc.body.paths as object)).toContain(p);
    }
    const config = await call('GET', '/designer-config.json', undefined);
    // Keys are configured: the designer must ask for one, whoever asks for its config.
    expect(config.body).toEqual({ apiKey: null });
    const health = await call('GET', '/healthz', undefined);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await call('GET', '/readyz', undefined);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(metrics).toContain('crossdock_runs_total');
    expect(metrics).toContain('crossdock_queue_depth');
    const queues = await call('GET', '/api/queues', 'viewer-key-1');
    expect(queues.body).toMatchObject({ queues: [{ name: 'runs', prefix }] });
  });

  it('holds the answer of a delivery accepted behind a backlog (flow control), refusing nothing', async () => {
    const flowPrefix = uniquePrefix('api-flow');
    // No worker: runs wait, and the drain rate is 0, so a pause is the longest allowed.
    const slow = testRuntime({
      prefix: flowPrefix,
      flowsDir: flows.dir,
      env: { CROSSDOCK_INTAKE_FLOW_DEPTH: '2', CROSSDOCK_INTAKE_FLOW_MAX_MS: '400' },
    });
    const app = serveChecked(createApp(slow));
    await new Promise((r) => app.once('listening', r));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks/partner/orders`;
    try {
      await slow.flows.deploy(hooked(), 'test', new Date());
      const answers: { status: number; ms: number; runId: string }[] = [];
      for (let i = 0; i < 4; i++) {
        const sent = Date.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order: `FC-${i}` }),
        });
        const body = (await res.json()) as { runId: string };
        answers.push({ status: res.status, ms: Date.now() - sent, runId: body.runId });
      }
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
      // The first three found at most 2 runs waiting; the fourth found 3 and waited its pause.
      expect(answers[3]?.ms).toBeGreaterThanOrEqual(400);
      for (const a of answers) expect((await slow.runs.record(a.runId))?.status).toBe('queued');
      expect(await slow.runs.waitingCount()).toBe(4);
    } finally {
      await new Promise((r) => app.close(r));
      await slow.close();
      await cleanRedis(flowPrefix);
    }
  });

  it('answers 429 with Retry-After above the queue depth limit', async () => {
    const smallPrefix = uniquePrefix('api-depth');
    const small = testRuntime({
      prefix: smallPrefix,
      flowsDir: flows.dir,
      env: { CROSSDOCK_MAX_QUEUE_DEPTH: '2' },
    });
    const app = serveChecked(createApp(small));
    await new Promise((r) => app.once('listening', r));
    const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks/partner/orders`;
    try {
      await small.flows.deploy(hooked(), 'test', new Date());
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order: `BP-${i}` }),
        });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(await res.json()).toMatchObject({ error: { code: 'queue-full' } });
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(statuses).toEqual([202, 202, 429]);
      // No worker drains this runtime's queue: the honest answer is a long wait.
      expect(retryAfter).toBe('30');
    } finally {
      await new Promise((r) => app.close(r));
      await small.close();
      await cleanRedis(smallPrefix);
    }
  });
});
