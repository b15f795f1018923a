import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
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
 * A downstream outage and a downstream that hangs, against two workers sharing one Redis:
 * - 12 s of 503s under a burst, with a retry policy that alone would give up in about a second:
 *   the connection's circuit breaker opens, runs wait in the queue without using attempts, and
 *   every order reaches the downstream once after it recovers (none in the exception queue);
 * - one connection whose system hangs, with `maxConcurrency` 2: another flow on another
 *   connection keeps completing while the hang lasts.
 */

const ORDERS = 150;
const OUTAGE_MS = 12_000;
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;
let url: string;
const hung: ServerResponse[] = [];
let hanging = true;
/** Hung calls open at once, and the most there ever were. */
let openHung = 0;
let maxOpenHung = 0;
/** Calls answered 503 during the outage: what the breaker let through. */
let refused = 0;
let outage = false;

beforeAll(async () => {
  stack = await faultStack('outage', { CROSSDOCK_LOCK_MS: '5000' });
  ({ keys, downstream, redis } = stack);
  // Two connections to the same downstream: `api` (breaker opening fast, for the test's time)
  // and `slow`, whose system will hang, limited to two calls in flight.
  const envFile = path.join(stack.flows.dir, 'environments', 'dev.json');
  const env = JSON.parse(readFileSync(envFile, 'utf8')) as {
    connections: Record<string, Record<string, unknown>>;
  };
  const api = env.connections.api as Record<string, unknown>;
  api.circuitBreaker = { failures: 5, openMs: 1_000, maxOpenMs: 4_000 };
  env.connections.slow = {
    ...api,
    maxConcurrency: 2,
    circuitBreaker: { failures: 5, openMs: 1_000, maxOpenMs: 2_000 },
  };
  writeFileSync(envFile, JSON.stringify(env));

  const answer = downstream.server.handler;
  downstream.server.handler = (req, res, body, count) => {
    if (req.url?.startsWith('/hang') && hanging) {
      hung.push(res);
      openHung += 1;
      maxOpenHung = Math.max(maxOpenHung, openHung);
      res.once('close', () => {
        openHung -= 1;
      });
      return;
    }
    if (outage && req.url?.startsWith('/ship')) {
      refused += 1;
      res.statusCode = 503;
      res.end('{"error":"down"}');
      return;
    }
    answer(req, res, body, count);
  };
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const serve = stack.start(['serve', '--no-worker'], { PORT: String(port) });
  stack.start(['worker', '--concurrency', '6'], { LOG_LEVEL: 'info' });
  stack.start(['worker', '--concurrency', '6'], { LOG_LEVEL: 'info' });
  await waitHealthy(url, serve);
}, 60_000);

afterAll(async () => {
  for (const res of hung) res.destroy();
  await stack?.stop();
});

/** A webhook flow with one call to `path` on `connection`, keyed by the order number. */
async function deploy(id: string, connection: string, to: string, extra: Record<string, unknown>) {
  const doc = flowDoc(
    id,
    [
      node('hook', 'trigger.webhook', { path: `fault/${id}` }),
      httpNode('send', to, {
        config: {
          connection,
          method: 'POST',
          path: to,
          output: 'body',
          query: { order: { var: 'order' } },
          ...extra,
        },
      }),
    ],
    [edge('hook', 'send')],
    {
      idempotencyKey: { var: 'order' },
      // Five attempts within about a second: alone, no match for an outage.
      retry: { maxAttempts: 5, backoff: { initialMs: 50, multiplier: 2, maxMs: 400, jitter: 0.1 } },
    },
  );
  expect((await api(url, 'PUT', `/api/flows/${id}`, doc)).status).toBe(201);
}

async function deliver(id: string, order: string): Promise<string> {
  const res = await fetch(`${url}/hooks/fault/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { runId: string }).runId;
}

const status = (id: string) => redis.hget(keys.run(id), 'status');

describe('a downstream outage', () => {
  it('waits behind the open breaker and delivers every order once after it', async () => {
    await deploy('fault-outage', 'api', '/ship', {});
    outage = true;
    const started = Date.now();
    const runIds = await Promise.all(
      Array.from({ length: ORDERS }, (_, i) => deliver('fault-outage', `O-${i}`)),
    );
    // Half way through, nothing has been given up on.
    await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
    expect(await redis.zcard(keys.partition(0).exceptions)).toBe(0);
    await new Promise((r) => setTimeout(r, Math.max(0, started + OUTAGE_MS - Date.now())));
    expect(await redis.zcard(keys.partition(0).exceptions)).toBe(0);
    const refusedDuringOutage = refused;
    outage = false;

    const ended = await waitAllEnded(runIds, status, 60_000);
    const statuses = [...ended.values()];
    console.info(
      `outage ${OUTAGE_MS} ms, ${ORDERS} orders: ${refusedDuringOutage} calls reached the failing system (without a breaker: ${ORDERS * 5}), ${statuses.filter((s) => s === 'succeeded').length} succeeded`,
    );
    expect(statuses.every((s) => s === 'succeeded')).toBe(true);
    expect(await redis.zcard(keys.partition(0).exceptions)).toBe(0);
    // The breaker held the calls back: far fewer than one per order per attempt.
    expect(refusedDuringOutage).toBeLessThan(ORDERS);
    for (let i = 0; i < ORDERS; i++) {
      // 0 lost, 0 true duplicates: one effect per order, under one key.
      expect(downstream.effects.get(`O-${i}`)).toBe(1);
      expect(downstream.keys.get(`O-${i}`)?.size).toBe(1);
    }
    const runs = await Promise.all(
      runIds.slice(0, 20).map(async (id) => {
        const run = (await api(url, 'GET', `/api/runs/${id}`)).body as {
          steps: { nodeId: string; attempt: number }[];
        };
        return Math.max(...run.steps.filter((s) => s.nodeId === 'send').map((s) => s.attempt));
      }),
    );
    // Waiting behind the breaker used no attempts: runs finished within their five.
    expect(Math.max(...runs)).toBeLessThanOrEqual(5);
  }, 120_000);
});

describe('a hanging downstream', () => {
  it('holds at most its connection limit of slots while another flow keeps completing', async () => {
    await deploy('fault-hang-a', 'slow', '/hang', { timeoutMs: 5_000 });
    await deploy('fault-flow-b', 'api', '/ship', {});
    hanging = true;
    const hangIds = await Promise.all(
      Array.from({ length: 20 }, (_, i) => deliver('fault-hang-a', `H-${i}`)),
    );
    while (hung.length < 2) await new Promise((r) => setTimeout(r, 50));
    // Flow B on the other connection completes while A's system hangs.
    const otherIds = await Promise.all(
      Array.from({ length: 60 }, (_, i) => deliver('fault-flow-b', `B-${i}`)),
    );
    const other = await waitAllEnded(otherIds, status, 60_000);
    expect([...other.values()].every((s) => s === 'succeeded')).toBe(true);
    const stillHanging = hanging;
    const hungCalls = hung.length;
    expect(stillHanging).toBe(true);
    // Never more than the connection's limit in flight, across both workers' 12 slots.
    expect(maxOpenHung).toBe(2);
    // A's runs are waiting, not failed, not done.
    const waiting = await Promise.all(hangIds.map(status));
    expect(waiting.filter((s) => s === 'succeeded' || s === 'failed')).toEqual([]);
    console.info(
      `while ${hungCalls} calls hung on "slow" (at most ${maxOpenHung} at once), 60 runs of another flow completed`,
    );

    hanging = false;
    const ended = await waitAllEnded(hangIds, status, 90_000);
    expect([...ended.values()].every((s) => s === 'succeeded')).toBe(true);
    for (let i = 0; i < 20; i++) {
      expect(downstream.effects.get(`H-${i}`)).toBe(1);
      expect(downstream.keys.get(`H-${i}`)?.size).toBe(1);
    }
    for (let i = 0; i < 60; i++) expect(downstream.effects.get(`B-${i}`)).toBe(1);
  }, 150_000);
});
