import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FlowDocument } from '@crossdock/nodes';
import { createApp, type Runtime, type ShadowReport, shadowCommand } from '@crossdock/runtime';
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

const prefix = uniquePrefix('shadows');
let server: TestServer;
let runtime: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };

const after = node('after', 'mapping.map', {
  fields: [{ target: 'id', expression: { var: 'wmsId' } }],
});
const active: FlowDocument = flowDoc(
  'ship',
  [node('start', 'trigger.manual', {}), httpNode('send', '/orders'), after],
  [edge('start', 'send'), edge('send', 'after')],
);
/** The candidate renamed the send node and notifies afterwards with what the WMS answered. */
const candidate: FlowDocument = {
  ...flowDoc(
    'ship',
    [
      node('start', 'trigger.manual', {}),
      httpNode('send-v2', '/orders'),
      after,
      httpNode('notify', '/notify'),
    ],
    [edge('start', 'send-v2'), edge('send-v2', 'after'), edge('after', 'notify')],
  ),
  version: '1.1.0',
};

beforeAll(async () => {
  server = await startTestServer();
  let n = 0;
  server.handler = (_req, res, body) => {
    res.setHeader('content-type', 'application/json');
    if ((JSON.parse(body) as { bad?: boolean }).bad) {
      res.statusCode = 422;
      res.end(JSON.stringify({ error: 'bad order' }));
      return;
    }
    n += 1;
    res.end(JSON.stringify({ wmsId: `W-${n}` }));
  };
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: {
      CROSSDOCK_API_KEYS: 'admin:admin-key-1,analyst:analyst-key-1',
      TEST_API_TOKEN: 'tok-secret-1',
    },
  });
  runtime.startWorker(4);
  await runtime.flows.deploy(active, 'test', new Date());
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

async function call(method: string, url: string, body?: unknown, key = 'admin-key-1') {
  const res = await fetch(`${base}/api${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

async function reportWhen(id: string, compared: number): Promise<ShadowReport> {
  const until = Date.now() + 15_000;
  for (;;) {
    const report = (await call('GET', `/flows/ship/shadows/${id}`)).body as unknown as ShadowReport;
    if (report.counts.compared >= compared) return report;
    if (Date.now() > until) throw new Error(`compared ${report.counts.compared} of ${compared}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('shadows through the API', () => {
  it('refuses what cannot be shadowed, and analysts', async () => {
    expect(
      (await call('POST', '/flows/ship/shadows', { version: '1.1.0' }, 'analyst-key-1')).status,
    ).toBe(403);
    const bad = await call('POST', '/flows/ship/shadows', { version: '1.1.0', sample: 2 });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid-shadow' } } });
    expect((await call('POST', '/flows/nope/shadows', { version: '1.0.0' })).status).toBe(404);
    const missing = await call('POST', '/flows/ship/shadows', { version: '9.9.9' });
    expect(missing.status).toBe(404);
    expect(String((missing.body.error as { message: string }).message)).toMatch(
      /send its document/,
    );
    const itself = await call('POST', '/flows/ship/shadows', { version: '1.0.0' });
    expect(itself).toMatchObject({ status: 400, body: { error: { code: 'invalid-shadow' } } });
    const mismatch = await call('POST', '/flows/ship/shadows', {
      version: '2.0.0',
      flow: candidate,
    });
    expect(mismatch.status).toBe(400);
    const invalid = await call('POST', '/flows/ship/shadows', {
      version: '1.1.0',
      flow: { ...candidate, edges: 3 },
    });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid-flow' } } });
    expect((await call('GET', '/flows/ship/shadows/shd_none')).status).toBe(404);
    expect((await call('DELETE', '/flows/ship/shadows/shd_none')).status).toBe(404);
  });

  it('answers the candidate from the active run, sends nothing for it, and compares', async () => {
    const started = await call('POST', '/flows/ship/shadows', {
      version: '1.1.0',
      flow: candidate,
      mapping: { 'send-v2': 'send' },
    });
    expect(started.status).toBe(201);
    const id = String(started.body.id);
    expect(started.body.deployedVersion).toMatch(/^1\.1\.0\+shadow\./);
    expect((await call('GET', '/flows/ship/shadows')).body.shadows).toMatchObject([
      { id, status: 'running' },
    ]);

    const a1 = await runtime.service.start({ flowId: 'ship', payload: { order: 'SO-1' } });
    const a2 = await runtime.service.start({
      flowId: 'ship',
      payload: { order: 'SO-2', bad: true },
    });
    const report = await reportWhen(id, 2);
    // Only the active runs reached the system: two calls to /orders, none to /notify.
    expect(Object.fromEntries(server.calls)).toEqual({ '/orders': 2 });

    const ok = report.differences.find((d) => d.aRunId === a1.runId);
    expect(ok).toMatchObject({ outcome: 'only-in-b', aStatus: 'succeeded', bStatus: 'succeeded' });
    expect(ok?.onlyInB).toEqual([
      { nodeId: 'notify', method: 'POST', url: `${server.url}/notify`, body: { id: 'W-1' } },
    ]);
    const shadowRun = await waitForRun(runtime, String(ok?.bRunId));
    // The renamed node got the WMS answer of the active run (W-1); notify had none: unmatched.
    const notify = shadowRun.steps.find((s) => s.nodeId === 'notify');
    expect(notify?.notSent).toEqual([
      { method: 'POST', url: `${server.url}/notify`, body: { id: 'W-1' }, unmatched: true },
    ]);
    expect(
      shadowRun.steps.find((s) => s.nodeId === 'send-v2')?.notSent?.[0]?.unmatched,
    ).toBeUndefined();
    const activeRun = await waitForRun(runtime, a1.runId);
    expect(activeRun.steps.find((s) => s.nodeId === 'send')?.sent).toEqual([
      {
        method: 'POST',
        url: `${server.url}/orders`,
        body: { order: 'SO-1' },
        status: 200,
        response: { wmsId: 'W-1' },
      },
    ]);

    // The 422 the active run got is what the shadow's step got: both failed, the same request.
    expect(report.differences.some((d) => d.aRunId === a2.runId)).toBe(false);
    expect(report.counts).toMatchObject({ mirrored: 2, compared: 2, identical: 1, onlyInB: 1 });
    expect(report.cutover).toBeNull();

    const stopped = await call('DELETE', `/flows/ship/shadows/${id}`);
    expect(stopped.body).toMatchObject({
      status: 'stopped',
      stoppedBy: expect.stringMatching(/^admin/),
    });
    await waitForRun(
      runtime,
      (await runtime.service.start({ flowId: 'ship', payload: { order: 'SO-3' } })).runId,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await reportWhen(id, 2)).counts.mirrored).toBe(2);
    expect((await call('DELETE', `/flows/ship/shadows/${id}`)).body.status).toBe('stopped');
  });

  it('mirrors only the sampled share of runs, the same runs on every worker', async () => {
    const { inSample } = await import('@crossdock/runtime/testing');
    const ids = Array.from({ length: 2000 }, (_, i) => `run_${i}`);
    const share = ids.filter((id) => inSample(id, 0.25)).length / ids.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(ids.filter((id) => inSample(id, 0.25))).toEqual(ids.filter((id) => inSample(id, 0.25)));
    expect(ids.every((id) => inSample(id, 1))).toBe(true);
  });

  it('lists the shadow paths in the OpenAPI document', async () => {
    const doc = (await call('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/flows/{id}/shadows'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/flows/{id}/shadows/{shadowId}'] ?? {})).toEqual([
      'get',
      'delete',
    ]);
  });

  it('crossdock shadow start, status and stop drive the same API', async () => {
    const file = path.join(flows.dir, 'ship.flow.json');
    writeFileSync(file, JSON.stringify({ ...candidate, version: '1.2.0' }));
    const output: string[] = [];
    const cli = (action: string, id?: string, extra: Record<string, unknown> = {}) => {
      output.length = 0;
      return shadowCommand(action, action === 'start' ? file : 'ship', id, {
        url: base,
        key: 'admin-key-1',
        flowsDir: flows.dir,
        env: 'dev',
        processEnv: {},
        write: (t) => output.push(t),
        ...extra,
      });
    };
    expect(
      await cli('start', undefined, { sample: '0.5', map: ['send-v2=send'], ignore: ['sentAt'] }),
    ).toBe(0);
    const id = /shadow (shd_\w+) started in dev/.exec(output.join(''))?.[1] as string;
    expect(id).toBeDefined();
    expect((await runtime.shadows.get('ship', id)).mapping).toEqual({ 'send-v2': 'send' });

    expect(await cli('status')).toBe(0);
    expect(output.join('')).toContain(`${id}  1.2.0 beside 1.0.0  running`);
    expect(await cli('status', id)).toBe(0);
    expect(output.join('')).toContain(`shadow ${id}: ship@1.2.0 beside 1.0.0, running, sample 0.5`);
    expect(await cli('stop', id)).toBe(0);
    expect(output.join('')).toBe(`shadow ${id} stopped; its report stays.\n`);

    expect(await cli('status', 'shd_none')).toBe(1);
    expect(output.join('')).toMatch(/^refused: No shadow "shd_none"/);
    expect(await cli('start', undefined, { sample: '7' })).toBe(1);
    expect(output.join('')).toMatch(/^refused: "sample"/);
    await expect(cli('start', undefined, { map: ['oops'] })).rejects.toThrow(/--map takes/);
    await expect(cli('stop')).rejects.toThrow(/Name the shadow/);
    await expect(cli('pause', id)).rejects.toThrow(/Unknown action "pause"/);
  });

  it('a broken shadow record never fails the active run; the trouble is logged', async () => {
    const key = `${prefix}:cd:shadows`;
    await runtime.redis.hset(key, 'shd_broken', '{not json');
    await runtime.redis.sadd(`${key}:running:ship`, 'shd_broken');
    try {
      // What the worker asks before each run now fails...
      await expect(runtime.shadows.watching('ship', '1.0.0')).rejects.toThrow(SyntaxError);
      // ...and the run goes on regardless.
      const started = await runtime.service.start({ flowId: 'ship', payload: { order: 'SO-9' } });
      expect((await waitForRun(runtime, started.runId)).status).toBe('succeeded');
    } finally {
      await runtime.redis.srem(`${key}:running:ship`, 'shd_broken');
      await runtime.redis.hdel(key, 'shd_broken');
    }
  });
});
