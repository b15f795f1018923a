import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcessDocument } from '@crossdock/nodes';
import { createApp, type Runtime } from '@crossdock/runtime';
import { summarize } from '@crossdock/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const prefix = uniquePrefix('tower');
const flows = flowsDirFor('http://127.0.0.1:9');
const runtimes: Runtime[] = [];

const orders = flowDoc(
  'orders',
  [node('t', 'trigger.manual'), node('m', 'mapping.map', { fields: [], keepSource: true })],
  [edge('t', 'm')],
  { businessKeys: { order: { var: 'number' } } },
);
const escalate = flowDoc('escalate', [node('t', 'trigger.manual')], []);

const process: ProcessDocument = {
  schemaVersion: 1,
  id: 'o2c',
  name: 'Orders',
  version: '1.0.0',
  businessKey: 'order',
  replayRoles: ['admin'],
  milestones: [
    { id: 'received', name: 'Received', on: [{ flow: 'orders', node: 't' }] },
    { id: 'confirmed', name: 'Confirmed', on: [{ flow: 'orders', node: 'never' }] },
  ],
  expectations: [
    {
      id: 'unconfirmed',
      name: 'Not confirmed',
      after: 'received',
      expect: 'confirmed',
      within: 'PT1S',
      owner: 'desk',
      severity: 'high',
      escalation: { flow: 'escalate' },
    },
  ],
  checks: [],
  indicators: [
    { id: 'confirmation-gaps', name: 'Orders not confirmed in time', expectation: 'unconfirmed' },
  ],
};

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const runtime = testRuntime({
      prefix,
      flowsDir: flows.dir,
      env: {
        CROSSDOCK_TOWER_TICK_MS: '50',
        CROSSDOCK_API_KEYS: 'viewer:viewer-key-1,operator:operator-key-1,admin:admin-key-1',
      },
    });
    runtimes.push(runtime);
  }
  const first = runtimes[0] as Runtime;
  // Deployed once on one runtime; the others observe it through the announcement.
  await first.tower.processes.deploy(process, 'test', new Date());
  await first.flows.deploy(orders, 'test', new Date());
  await first.flows.deploy(escalate, 'test', new Date());
});

afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  flows.remove();
  await cleanRedis(prefix);
});

describe('control tower across workers', () => {
  it('three runtimes scanning the same prefix breach and escalate each deadline exactly once', async () => {
    const first = runtimes[0] as Runtime;
    for (const r of runtimes) r.startWorker(5);
    const started: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { runId } = await first.service.start({
        flowId: 'orders',
        payload: { number: `O-${i}` },
      });
      started.push(runId);
    }
    for (const id of started) await waitForRun(first, id);
    // Every runtime's own scan runs every 50 ms; these extra scans race them on purpose.
    await new Promise((r) => setTimeout(r, 1_200));
    await Promise.all(runtimes.flatMap((r) => [r.tower.tick(7), r.tower.tick(3)]));
    const until = Date.now() + 10_000;
    let escalations: { trigger: unknown }[] = [];
    for (;;) {
      escalations = (await first.runs.list({ flow: 'escalate', limit: 500 })).runs;
      if (escalations.length >= 40 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 300));
    escalations = (await first.runs.list({ flow: 'escalate', limit: 500 })).runs;
    const keys = escalations.map((r) => (r.trigger as { key: string }).key).sort();
    expect(keys).toEqual(Array.from({ length: 40 }, (_, i) => `O-${i}`).sort());
    const breached = await first.redis.zcard(first.tower.store.k.breached('o2c'));
    expect(breached).toBe(40);
    expect(await first.redis.zcard(first.tower.store.k.deadlines)).toBe(0);
    const state = await first.tower.store.get('o2c', 'O-7');
    expect(state?.breaches).toHaveLength(1);
    expect(state?.stage).toBe('received');
    // The indicator counts objects with that expectation's breach open.
    const summary = await summarize(first.redis, first.tower.store, process, Date.now());
    expect(summary.indicators).toEqual([
      { indicator: 'confirmation-gaps', name: 'Orders not confirmed in time', objects: 40 },
    ]);
  });

  it('the API: replay authority, acknowledgement, and clear errors for bad input', async () => {
    const first = runtimes[0] as Runtime;
    const failing = flowDoc(
      'failing',
      [
        node('t', 'trigger.manual'),
        node('v', 'exception.dead-letter', { reason: 'parked for the test' }),
      ],
      [edge('t', 'v')],
      { businessKeys: { order: { var: 'number' } } },
    );
    await first.flows.deploy(failing, 'test', new Date());
    await first.tower.processes.deploy(
      {
        ...process,
        id: 'strict',
        milestones: [{ id: 'seen', name: 'Seen', on: [{ flow: 'failing', node: 't' }] }],
        expectations: [],
        indicators: [],
      },
      'test',
      new Date(),
    );
    const server: Server = serveChecked(createApp(first));
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (method: string, p: string, key: string, body?: unknown) => {
      const response = await fetch(`${base}${p}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      const { runId } = await first.service.start({
        flowId: 'failing',
        payload: { number: 'X-1' },
      });
      const run = await waitForRun(first, runId);
      expect(run.status).toBe('failed');
      const denied = await call('POST', `/api/runs/${runId}/discard`, 'operator-key-1', {
        reason: 'x',
      });
      expect(denied.status).toBe(403);
      expect(JSON.stringify(denied.body)).toContain('replay authority is admin');
      const allowed = await call('POST', `/api/runs/${runId}/discard`, 'admin-key-1', {
        reason: 'dup',
      });
      expect(allowed.status).toBe(200);

      expect((await call('GET', '/api/processes/nope/summary', 'viewer-key-1')).status).toBe(404);
      const badStage = await call('GET', '/api/processes/o2c/objects?stage=moon', 'viewer-key-1');
      expect(badStage.status).toBe(400);
      expect(JSON.stringify(badStage.body)).toContain('received, confirmed');
      const badAge = await call('GET', '/api/processes/o2c/objects?olderThan=soon', 'viewer-key-1');
      expect(badAge.status).toBe(400);
      const old = await call(
        'GET',
        '/api/processes/o2c/objects?olderThan=PT1S&limit=5',
        'viewer-key-1',
      );
      expect((old.body.objects as unknown[]).length).toBe(5);
      expect(old.body.nextCursor).toBe('5');

      const object = await call('GET', '/api/processes/o2c/objects/O-3', 'viewer-key-1');
      const breachId = (object.body.breaches as { id: string }[])[0]?.id ?? '';
      const ackPath = `/api/processes/o2c/objects/O-3/breaches/${encodeURIComponent(breachId)}/ack`;
      expect((await call('POST', ackPath, 'viewer-key-1', { comment: 'x' })).status).toBe(403);
      expect((await call('POST', ackPath, 'operator-key-1', {})).status).toBe(400);
      expect(
        (
          await call('POST', '/api/processes/o2c/objects/O-3/breaches/nope/ack', 'operator-key-1', {
            comment: 'x',
          })
        ).status,
      ).toBe(404);
      const acked = await call('POST', ackPath, 'operator-key-1', { comment: 'called the desk' });
      expect(acked.body).toMatchObject({
        status: 'acknowledged',
        ack: { comment: 'called the desk' },
      });
      const summary = await call('GET', '/api/processes/o2c/summary', 'viewer-key-1');
      expect(summary.body.breaches).toEqual([{ owner: 'desk', severity: 'high', objects: 39 }]);
      expect((summary.body.stages as { stage: string; count: number }[])[0]).toMatchObject({
        stage: 'received',
        count: 40,
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
