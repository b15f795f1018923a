import type { ProcessDocument } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, node, testRuntime } from '../runtime/helpers';
import { type CrossdockProcess, type FaultStack, faultStack } from './processes';

/**
 * kill -9 of a worker right after it saved a breach (before escalating), then of another right
 * after it started the escalation flow (before writing it on the breach): a third worker
 * escalates every breach, and each breach has exactly one escalation run.
 */

const ORDERS = 6;
let stack: FaultStack;
let runtime: Runtime;

const orders = flowDoc(
  'tower-orders',
  [node('t', 'trigger.manual'), node('m', 'mapping.map', { fields: [], keepSource: true })],
  [edge('t', 'm')],
  { businessKeys: { order: { var: 'number' } } },
);
const escalate = flowDoc('tower-escalate', [node('t', 'trigger.manual')], []);

const process: ProcessDocument = {
  schemaVersion: 1,
  id: 'kill-o2c',
  name: 'Orders under kill',
  version: '1.0.0',
  businessKey: 'order',
  replayRoles: ['admin'],
  milestones: [
    { id: 'received', name: 'Received', on: [{ flow: 'tower-orders', node: 't' }] },
    { id: 'confirmed', name: 'Confirmed', on: [{ flow: 'tower-orders', node: 'never' }] },
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
      escalation: { flow: 'tower-escalate' },
    },
  ],
  checks: [],
};

beforeAll(async () => {
  stack = await faultStack('tower', {
    CROSSDOCK_TOWER_TICK_MS: '50',
    // A dead worker's claims are taken again after this.
    CROSSDOCK_TOWER_LEASE_MS: '800',
    CROSSDOCK_LOCK_MS: '1500',
  });
  runtime = testRuntime({ prefix: stack.prefix, flowsDir: stack.flows.dir });
  await runtime.flows.deploy(orders, 'test', new Date());
  await runtime.flows.deploy(escalate, 'test', new Date());
  // The worker processes started below observe the active deployed version.
  await runtime.tower.processes.deploy(process, 'test', new Date());
});

afterAll(async () => {
  await runtime?.close();
  await stack?.stop();
});

async function exitedWithin(proc: CrossdockProcess, ms: number): Promise<void> {
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));
  if ((await Promise.race([proc.exited, timeout])) === 'timeout') {
    await proc.kill9();
    throw new Error(`the worker did not reach its fault point:\n${proc.output()}`);
  }
}

const escalationRuns = async () =>
  (await runtime.runs.list({ flow: 'tower-escalate', limit: 100 })).runs;

describe('control tower escalation when a worker dies', () => {
  it('escalates every breach exactly once across kills after the breach and after the start', async () => {
    for (let i = 0; i < ORDERS; i++)
      await runtime.service.start({ flowId: 'tower-orders', payload: { number: `K-${i}` } });

    const first = stack.start(['worker'], { CROSSDOCK_FAULTS: 'tower:after-breach@1' });
    await exitedWithin(first, 40_000);
    // The breach is saved with its escalation owed; nothing escalated it yet.
    const owed = await runtime.redis.zcard(runtime.tower.store.k.escalations);
    const claimed = await runtime.redis.zcard(runtime.tower.store.k.escalating);
    expect(owed + claimed).toBeGreaterThanOrEqual(1);
    expect(await escalationRuns()).toHaveLength(0);

    const second = stack.start(['worker'], { CROSSDOCK_FAULTS: 'tower:after-escalate@1' });
    await exitedWithin(second, 40_000);
    // It started one escalation run and died before writing it on the breach.
    expect((await escalationRuns()).length).toBeGreaterThanOrEqual(1);

    stack.start(['worker']);
    const until = Date.now() + 40_000;
    const keys = Array.from({ length: ORDERS }, (_, i) => `K-${i}`);
    for (;;) {
      const states = await runtime.tower.store.getMany(process.id, keys);
      const done = states.filter((s) => s.breaches.some((b) => b.escalation?.runId));
      if (done.length === ORDERS) break;
      if (Date.now() > until) throw new Error(`only ${done.length} breaches escalated`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // One more lease and scan: a late claim must not add a run.
    await new Promise((r) => setTimeout(r, 1_500));
    const runs = await escalationRuns();
    const byKey = new Map<string, string[]>();
    for (const r of runs) {
      const key = (r.trigger as { key: string }).key;
      byKey.set(key, [...(byKey.get(key) ?? []), r.id]);
    }
    expect([...byKey.keys()].sort()).toEqual(keys.sort());
    expect([...byKey.values()].every((ids) => ids.length === 1)).toBe(true);
    for (const state of await runtime.tower.store.getMany(process.id, keys)) {
      expect(state.breaches).toHaveLength(1);
      expect(state.breaches[0]?.escalation?.runId).toBe(byKey.get(state.key)?.[0]);
    }
    expect(await runtime.redis.zcard(runtime.tower.store.k.escalations)).toBe(0);
    // Three worker processes start one after another: well beyond the 20 s default on 2 cores.
  }, 150_000);
});
