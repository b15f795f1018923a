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
 * Out-of-order events: pick, pack and ship of each order arrive back to back, for many orders at
 * once, at two workers with several slots each, against a downstream that answers after a random
 * delay. With the flow's ordering key on the order number, each order's events reach the
 * downstream in acceptance order, never two at once, and the last status the ERP holds is
 * `shipped`; different orders still run in parallel.
 */

const ORDERS = 25;
const EVENTS = ['picked', 'packed', 'shipped'] as const;
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;
/** The statuses each order received, in the order the downstream got them. */
const received = new Map<string, string[]>();
/** Calls in flight per order, and any order that ever had two at once. */
const inFlight = new Map<string, number>();
const overlapped = new Set<string>();
let concurrent = 0;
let maxConcurrent = 0;

beforeAll(async () => {
  stack = await faultStack('ordering');
  ({ keys, downstream, redis } = stack);
  const answer = downstream.server.handler;
  downstream.server.handler = (req, res, body, count) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const order = q.get('order') ?? '?';
    const now = (inFlight.get(order) ?? 0) + 1;
    inFlight.set(order, now);
    if (now > 1) overlapped.add(order);
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    received.set(order, [...(received.get(order) ?? []), q.get('status') ?? '?']);
    // A random answer time: without ordering, a later event often overtakes an earlier one.
    setTimeout(
      () => {
        inFlight.set(order, (inFlight.get(order) ?? 1) - 1);
        concurrent -= 1;
        answer(req, res, body, count);
      },
      5 + Math.floor(Math.random() * 60),
    );
  };
});

afterAll(async () => {
  await stack?.stop();
});

describe('out-of-order events', () => {
  it('reach the downstream in acceptance order per order, one at a time, ending shipped', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = stack.start(['serve', '--no-worker'], { PORT: String(port) });
    stack.start(['worker', '--concurrency', '8']);
    stack.start(['worker', '--concurrency', '8']);
    await waitHealthy(url, serve);
    const doc = flowDoc(
      'fault-order-status',
      [
        node('hook', 'trigger.webhook', { path: 'fault/status' }),
        httpNode('erp', '/status', {
          config: {
            connection: 'api',
            method: 'POST',
            path: '/status',
            output: 'body',
            query: { order: { var: 'order' }, status: { var: 'status' } },
          },
        }),
      ],
      [edge('hook', 'erp')],
      {
        idempotencyKey: { cat: [{ var: 'order' }, ':', { var: 'status' }] },
        orderingKey: { var: 'order' },
      },
    );
    expect((await api(url, 'PUT', '/api/flows/fault-order-status', doc)).status).toBe(201);

    const runIds: string[] = [];
    await Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        for (const status of EVENTS) {
          const res = await fetch(`${url}/hooks/fault/status`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ order: `S-${i}`, status }),
          });
          expect(res.status).toBe(202);
          runIds.push(((await res.json()) as { runId: string }).runId);
        }
      }),
    );
    const ended = await waitAllEnded(runIds, (id) => redis.hget(keys.run(id), 'status'), 60_000);
    expect([...ended.values()].every((s) => s === 'succeeded')).toBe(true);
    console.info(
      `${ORDERS} orders x ${EVENTS.length} events: ${overlapped.size} orders overlapped, up to ${maxConcurrent} calls at once across orders`,
    );
    expect(overlapped.size).toBe(0);
    for (let i = 0; i < ORDERS; i++) {
      // Acceptance order, each once: the final status is shipped.
      expect(received.get(`S-${i}`)).toEqual([...EVENTS]);
      expect(downstream.effects.get(`S-${i}`)).toBe(3);
    }
    // Other orders did run in parallel.
    expect(maxConcurrent).toBeGreaterThan(1);
    const run = (await api(url, 'GET', `/api/runs/${runIds[0]}`)).body as { orderingKey?: string };
    expect(run.orderingKey).toMatch(/^S-\d+$/);
    // The queues of ended runs empty as the next run takes its turn.
    const left = await redis.llen(keys.partition(0).ordering('fault-order-status', 'S-0'));
    expect(left).toBeLessThanOrEqual(1);
  }, 90_000);
});
