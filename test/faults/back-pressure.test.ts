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
 * A burst far over the queue depth limit against a real `crossdock serve`: the depth check is
 * part of the intake script, so exactly the limit is accepted (no overshoot); the rest get 429
 * with a Retry-After, and a partner that honours it gets every order run exactly once.
 */

const LIMIT = 30;
const ORDERS = 80;
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;

beforeAll(async () => {
  stack = await faultStack('depth', { CROSSDOCK_MAX_QUEUE_DEPTH: String(LIMIT) });
  ({ keys, downstream, redis } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

const start = (args: string[], extra?: Record<string, string>): CrossdockProcess =>
  stack.start(args, extra);

describe('back-pressure', () => {
  it('accepts exactly the limit from a burst and every order once the partner retries', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = start(['serve', '--no-worker'], { PORT: String(port) });
    await waitHealthy(url, serve);
    const doc = flowDoc(
      'fault-depth',
      [node('hook', 'trigger.webhook', { path: 'fault/depth' }), httpNode('send', '/depth')],
      [edge('hook', 'send')],
      { idempotencyKey: { var: 'order' } },
    );
    const send = doc.nodes[1];
    if (send) send.config = { ...send.config, query: { order: { var: 'order' } } };
    expect((await api(url, 'PUT', '/api/flows/fault-depth', doc)).status).toBe(201);

    const runIds = new Map<string, string>();
    const retryAfters: number[] = [];
    async function deliver(orders: string[]): Promise<string[]> {
      const refused: string[] = [];
      await Promise.all(
        orders.map(async (order) => {
          const res = await fetch(`${url}/hooks/fault/depth`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ order }),
          });
          if (res.status === 429) {
            retryAfters.push(Number(res.headers.get('retry-after')));
            refused.push(order);
            await res.body?.cancel();
            return;
          }
          expect([200, 202]).toContain(res.status);
          runIds.set(order, ((await res.json()) as { runId: string }).runId);
        }),
      );
      return refused;
    }

    // No worker yet: the whole burst lands at once on an undrained queue.
    const all = Array.from({ length: ORDERS }, (_, i) => `D-${i}`);
    let refused = await deliver(all);
    expect(runIds.size).toBe(LIMIT);
    expect(refused.length).toBe(ORDERS - LIMIT);
    expect(await redis.zcard(keys.partition(0).byStatus('queued'))).toBe(LIMIT);
    // Nothing drains yet, so the runtime cannot promise a short wait.
    expect(new Set(retryAfters)).toEqual(new Set([30]));

    start(['worker', '--concurrency', '10']);
    while (refused.length > 0) {
      await new Promise((r) => setTimeout(r, 500));
      refused = await deliver(refused);
    }
    expect(retryAfters.every((s) => s >= 1 && s <= 300)).toBe(true);
    const statuses = await waitAllEnded([...runIds.values()], (id) =>
      redis.hget(keys.run(id), 'status'),
    );
    expect([...statuses.values()].every((s) => s === 'succeeded')).toBe(true);
    const counts = all.map((o) => downstream.calls.get(o) ?? 0);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
  }, 90_000);
});
