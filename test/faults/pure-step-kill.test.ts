import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, httpNode, node } from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  type FaultStack,
  faultStack,
  freePort,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * Pure steps (mapping, rules) get no checkpoint of their own: their records are written with
 * the checkpoint taken before the next side-effecting step. kill -9 of a worker right there
 * (pure steps executed, nothing of them written, the call not sent) must repeat only the pure
 * steps: every order reaches the downstream exactly once per call, although the downstream
 * counts every call and does not deduplicate by key, and every trace lists each step once.
 * The victims work one run at a time, so no call of another run is in flight at the kill.
 */

const ORDERS = 12;
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;

beforeAll(async () => {
  // A dead worker's run is taken over once its lock runs out.
  stack = await faultStack('pure-step', { CROSSDOCK_LOCK_MS: '1500' });
  ({ keys, downstream, redis } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe('worker killed between a pure step and the next side effect', () => {
  it('repeats no effect and loses none', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = stack.start(['serve', '--no-worker'], { PORT: String(port) });
    await waitHealthy(url, serve);
    const order = { query: { order: { var: 'order' } } };
    const doc = flowDoc(
      'fault-pure-step',
      [
        node('hook', 'trigger.webhook', { path: 'fault/pure-step' }),
        httpNode('reserve', '/reserve', {
          config: {
            connection: 'api',
            method: 'POST',
            path: '/reserve',
            output: 'merge',
            ...order,
          },
        }),
        node('label', 'mapping.map', {
          fields: [
            { target: 'order', expression: { var: 'order' } },
            { target: 'label', expression: { cat: ['L-', { var: 'order' }] } },
          ],
        }),
        node('ready', 'rule.branch', { condition: { '!!': [{ var: 'label' }] } }),
        httpNode('ship', '/ship', {
          config: { connection: 'api', method: 'POST', path: '/ship', output: 'body', ...order },
        }),
      ],
      [
        edge('hook', 'reserve'),
        edge('reserve', 'label'),
        edge('label', 'ready'),
        edge('ready', 'ship', 'true'),
      ],
      { idempotencyKey: { var: 'order' } },
    );
    expect((await api(url, 'PUT', '/api/flows/fault-pure-step', doc)).status).toBe(201);

    const runIds: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const res = await fetch(`${url}/hooks/fault/pure-step`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order: `P-${i}` }),
      });
      expect(res.status).toBe(202);
      runIds.push(((await res.json()) as { runId: string }).runId);
    }

    // Each run reaches the point twice: before `reserve` (after the trigger) and before `ship`
    // (after `label` and `ready`, with `reserve` done). @6: the third run, before `ship`; @1:
    // the next run a second victim takes, before its first call.
    for (const at of ['6', '1']) {
      const victim = stack.start(['worker', '--concurrency', '1'], {
        CROSSDOCK_FAULTS: `step:before-side-effect@${at}`,
      });
      expect(await victim.exited).toBeNull();
      expect(victim.child.signalCode).toBe('SIGKILL');
    }
    const survivor = stack.start(['worker', '--concurrency', '4']);

    const statuses = await waitAllEnded(runIds, (id) => redis.hget(keys.run(id), 'status'));
    expect([...statuses.values()].every((s) => s === 'succeeded')).toBe(true);
    expect(survivor.child.exitCode).toBeNull();
    for (let i = 0; i < ORDERS; i++) {
      const o = `P-${i}`;
      // Two calls per order, each once: nothing repeated, nothing lost.
      expect({ o, calls: downstream.calls.get(o), effects: downstream.effects.get(o) }).toEqual({
        o,
        calls: 2,
        effects: 2,
      });
      expect(downstream.keys.get(o)?.size).toBe(2);
    }
    for (const id of runIds) {
      const steps = (await redis.lrange(keys.steps(id), 0, -1)).map(
        (s) => JSON.parse(s) as { nodeId: string; index: number },
      );
      expect(steps.map((s) => s.nodeId)).toEqual(['hook', 'reserve', 'label', 'ready', 'ship']);
      expect(steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    }
  }, 90_000);
});
