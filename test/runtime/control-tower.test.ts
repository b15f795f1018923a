import type { ProcessDocument } from '@crossdock/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/src/runtime';
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
};

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const runtime = testRuntime({
      prefix,
      flowsDir: flows.dir,
      env: { CROSSDOCK_TOWER_TICK_MS: '50' },
    });
    runtime.tower.setProcesses([process]);
    runtimes.push(runtime);
  }
  const first = runtimes[0] as Runtime;
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
  });

  it('knows which processes observe a flow (their replay authority applies to its runs)', async () => {
    const first = runtimes[0] as Runtime;
    expect(first.tower.observing('orders').map((p) => p.id)).toEqual(['o2c']);
    expect(first.tower.observing('escalate')).toEqual([]);
  });
});
