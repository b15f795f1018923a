import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, httpNode, node } from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  type CrossdockProcess,
  type FaultStack,
  faultStack,
  freePort,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * kill -9 of a worker mid-burst, with a second worker running: every run completes on the
 * survivor. The steps in flight on the killed worker may reach the downstream twice; each
 * repeat carries the same Idempotency-Key (a downstream honouring keys does it once), so no
 * order reaches the downstream under two keys (a true duplicate).
 */

const ORDERS = 60;
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;

beforeAll(async () => {
  stack = await faultStack('worker', {
    // A dead worker's jobs are taken over after the lock runs out.
    CROSSDOCK_LOCK_MS: '1500',
  });
  ({ keys, downstream, redis } = stack);
  const answer = downstream.server.handler;
  // A downstream that takes a moment, so the kill finds calls in flight.
  downstream.server.handler = (req, res, body, count) => {
    setTimeout(() => answer(req, res, body, count), 40);
  };
});

afterAll(async () => {
  await stack?.stop();
});

const start = (args: string[], extra?: Record<string, string>): CrossdockProcess =>
  stack.start(args, extra);

describe('worker killed mid-burst', () => {
  it('completes every run on the other worker, with no order sent under two keys', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = start(['serve', '--no-worker'], { PORT: String(port) });
    const victim = start(['worker', '--concurrency', '10']);
    const survivor = start(['worker', '--concurrency', '10']);
    await waitHealthy(url, serve);
    const doc = flowDoc(
      'fault-worker',
      [
        node('hook', 'trigger.webhook', { path: 'fault/worker' }),
        // `merge` keeps the order on the payload for the next call.
        httpNode('reserve', '/reserve', {
          config: { connection: 'api', method: 'POST', path: '/reserve', output: 'merge' },
        }),
        httpNode('ship', '/ship'),
      ],
      [edge('hook', 'reserve'), edge('reserve', 'ship')],
      { idempotencyKey: { var: 'order' } },
    );
    for (const n of doc.nodes.slice(1))
      n.config = { ...n.config, query: { order: { var: 'order' } } };
    expect((await api(url, 'PUT', '/api/flows/fault-worker', doc)).status).toBe(201);

    const runIds: string[] = [];
    await Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        const res = await fetch(`${url}/hooks/fault/worker`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order: `W-${i}` }),
        });
        expect(res.status).toBe(202);
        runIds.push(((await res.json()) as { runId: string }).runId);
      }),
    );
    const total = () => [...downstream.calls.values()].reduce((a, b) => a + b, 0);
    while (total() < ORDERS / 2) await new Promise((r) => setTimeout(r, 5));
    await victim.kill9();

    const statuses = await waitAllEnded(runIds, (id) => redis.hget(keys.run(id), 'status'));
    expect([...statuses.values()].every((s) => s === 'succeeded')).toBe(true);
    expect(survivor.child.exitCode).toBeNull();
    for (let i = 0; i < ORDERS; i++) {
      const order = `W-${i}`;
      // Two steps per order: each reached the downstream, and under one key per step.
      expect({ order, keys: downstream.keys.get(order)?.size }).toEqual({ order, keys: 2 });
    }
    const repeats = total() - 2 * ORDERS;
    console.info(
      `worker kill: ${total()} calls for ${2 * ORDERS} steps (${repeats} repeated under the same key)`,
    );
  }, 90_000);
});
