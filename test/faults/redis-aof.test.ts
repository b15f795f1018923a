import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeys } from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, httpNode, node } from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  deliverOrders,
  type FaultStack,
  faultStack,
  freePort,
  type PrivateRedis,
  startPrivateRedis,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * Redis killed with kill -9 mid-burst and restarted from its append-only file (appendonly yes,
 * appendfsync always: the setting under which Redis loses no acknowledged write, see
 * docs/reliability.md), under a running serve and worker. The partner resends whatever got no answer. Every acknowledged order runs and reaches
 * the downstream under one key; none is lost, none is done twice; no data loss is reported.
 */

const ORDERS = 160;
let aofDir: string;
let privateRedis: PrivateRedis;
let stack: FaultStack;
let downstream: CountingDownstream;
let redis: Redis;
let keys: ReturnType<typeof createKeys>;
/** Run ids each order was acknowledged with. */
const answered = new Map<string, Set<string>>();

beforeAll(async () => {
  aofDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-aof-'));
  privateRedis = await startPrivateRedis({ aofDir });
  stack = await faultStack('aof', { REDIS_URL: privateRedis.url });
  ({ downstream } = stack);
  keys = createKeys(stack.prefix);
  redis = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
  // Down on purpose for a moment; the reads below wait for it.
  redis.on('error', () => {});
  const answer = downstream.server.handler;
  // A downstream that takes a moment, so the kill finds steps in flight.
  downstream.server.handler = (req, res, body, count) => {
    setTimeout(() => answer(req, res, body, count), 20);
  };
});

afterAll(async () => {
  await stack?.stop();
  redis?.disconnect();
  await privateRedis?.stop();
  rmSync(aofDir, { recursive: true, force: true });
});

const deliver = (url: string, orders: readonly string[]) =>
  deliverOrders(`${url}/hooks/fault/aof`, orders, answered);

describe('Redis restarted from its AOF mid-burst', () => {
  it('loses no acknowledged order and does none twice', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = stack.start(['serve', '--no-worker'], { PORT: String(port) });
    const worker = stack.start(['worker', '--concurrency', '8'], { LOG_LEVEL: 'info' });
    await waitHealthy(url, serve);
    const doc = flowDoc(
      'fault-aof',
      [node('hook', 'trigger.webhook', { path: 'fault/aof' }), httpNode('send', '/aof')],
      [edge('hook', 'send')],
      { idempotencyKey: { var: 'order' } },
    );
    const send = doc.nodes[1];
    if (send) send.config = { ...send.config, query: { order: { var: 'order' } } };
    expect((await api(url, 'PUT', '/api/flows/fault-aof', doc)).status).toBe(201);

    const orders = Array.from({ length: ORDERS }, (_, i) => `A-${i}`);
    const burst = deliver(url, orders);
    while (answered.size < ORDERS / 3) await new Promise((r) => setTimeout(r, 5));
    const atKill = answered.size;
    const succeededAtKill = await redis.zcard(keys.partition(0).byStatus('succeeded'));
    await privateRedis.kill9();
    await new Promise((r) => setTimeout(r, 2_000));
    await privateRedis.start();
    let unacked = await burst;
    console.info(
      `Redis killed after ${atKill} of ${ORDERS} orders were acknowledged (${succeededAtKill} runs done), down 2 s; ${unacked.length} deliveries got no answer and were resent`,
    );
    expect(atKill).toBeLessThan(ORDERS);
    for (let round = 0; unacked.length > 0 && round < 20; round++) {
      await new Promise((r) => setTimeout(r, 500));
      unacked = await deliver(url, unacked);
    }
    expect(unacked).toEqual([]);

    const runIds = [...answered.values()].flatMap((s) => [...s]);
    const ended = await waitAllEnded(runIds, (id) => redis.hget(keys.run(id), 'status'), 90_000);
    expect([...ended.values()].every((s) => s === 'succeeded')).toBe(true);
    let repeats = 0;
    for (const order of orders) {
      // One run per order: a resend of an acknowledged order was answered with its run.
      expect(answered.get(order)?.size).toBe(1);
      expect(downstream.effects.get(order)).toBeGreaterThanOrEqual(1);
      // 0 true duplicates: a step in flight at the kill may repeat, always under its one key.
      expect(downstream.keys.get(order)?.size).toBe(1);
      repeats += (downstream.calls.get(order) ?? 0) - 1;
    }
    console.info(
      `${ORDERS} orders, all succeeded; ${repeats} same-key repeats of steps in flight at the kill`,
    );
    const logs = serve.output() + worker.output();
    expect(logs).not.toContain('Redis lost its data');
    // Outages are log lines, not library stack traces.
    expect(logs).not.toMatch(/\n\s+at .+\(.+node_modules\/ioredis/);
  }, 180_000);
});
