import { createKeys } from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  uniquePrefix,
} from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  type CrossdockProcess,
  countingDownstream,
  deliverOrders,
  freePort,
  spawnCrossdock,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * kill -9 of `crossdock serve` at each step of intake (fault points) and at a random moment of a
 * burst, with a separate worker process and a partner that resends whatever it got no answer
 * for. Every order the runtime acknowledged runs exactly once; none is lost or done twice.
 */

const ORDERS = 120;
const FLOW = 'fault-orders';

let downstream: CountingDownstream;
let flows: { dir: string; remove(): void };
let redis: Redis;
const prefix = uniquePrefix('faults-intake');
const keys = createKeys(prefix);
let worker: CrossdockProcess | undefined;

beforeAll(async () => {
  downstream = await countingDownstream();
  flows = flowsDirFor(downstream.server.url);
  redis = new Redis('redis://127.0.0.1:6379');
});

afterAll(async () => {
  await worker?.stop(3_000);
  await downstream.close();
  flows.remove();
  redis.disconnect();
  await cleanRedis(prefix);
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flows.dir,
    TEST_API_TOKEN: 'fault-token-123',
    CROSSDOCK_LOCK_MS: '2000',
    ...extra,
  };
}

async function startServe(fault?: string): Promise<{ url: string; proc: CrossdockProcess }> {
  const port = await freePort();
  const proc = spawnCrossdock(
    ['serve', '--no-worker'],
    env({ PORT: String(port), ...(fault ? { CROSSDOCK_FAULTS: fault } : {}) }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc);
  return { url, proc };
}

/** What the partner knows: the run id each answered delivery named, per order. */
const answered = new Map<string, Set<string>>();

/**
 * Delivers `orders` with 8 in flight, as a partner would; a delivery without an answer (the
 * process died) stays unacknowledged and is sent again in the next phase.
 */
function deliver(url: string, orders: readonly string[]): Promise<string[]> {
  return deliverOrders(`${url}/hooks/fault/orders`, orders, answered);
}

describe('intake under kill -9 of serve', () => {
  it('runs every acknowledged order exactly once, whatever intake step the kill falls on', async () => {
    worker = spawnCrossdock(['worker', '--concurrency', '20'], env());
    const first = await startServe();
    const doc = flowDoc(
      FLOW,
      [node('hook', 'trigger.webhook', { path: 'fault/orders' }), httpNode('send', '/orders')],
      [edge('hook', 'send')],
      { idempotencyKey: { var: 'order' } },
    );
    const send = doc.nodes[1];
    if (send) send.config = { ...send.config, query: { order: { var: 'order' } } };
    expect((await api(first.url, 'PUT', `/api/flows/${FLOW}`, doc)).status).toBe(201);
    await first.proc.stop(3_000);

    const all = Array.from({ length: ORDERS }, (_, i) => `F-${i}`);
    const perPhase = ORDERS / 4;
    let unacked: string[] = [];
    // Before the intake script, after it (run and job recorded, no answer sent), and after it
    // again at another count (other deliveries in flight around the kill).
    const faults = ['intake:before-record@7', 'intake:after-record@7', 'intake:after-record@2'];
    for (const [i, fault] of faults.entries()) {
      const serve = await startServe(fault);
      // New orders, everything unanswered so far, and two answered ones again (a resend).
      const batch = [
        ...unacked,
        ...all.slice(i * perPhase, (i + 1) * perPhase),
        ...[...answered.keys()].slice(0, 2),
      ];
      unacked = await deliver(serve.url, batch);
      await serve.proc.exited;
      expect(serve.proc.child.signalCode).toBe('SIGKILL');
      expect(unacked.length).toBeGreaterThan(0);
    }
    // A kill at a moment the test does not choose: mid-burst, from outside.
    const serve = await startServe();
    const burst = deliver(serve.url, [...unacked, ...all.slice(3 * perPhase)]);
    while (answered.size < ORDERS - perPhase / 2) await new Promise((r) => setTimeout(r, 5));
    await serve.proc.kill9();
    unacked = await burst;
    // The partner keeps resending until everything is answered.
    const last = await startServe();
    while (unacked.length > 0) unacked = await deliver(last.url, unacked);

    expect([...answered.keys()].sort()).toEqual([...all].sort());
    for (const [order, runIds] of answered)
      expect({ order, runs: runIds.size }).toEqual({ order, runs: 1 });
    const runIds = [...answered.values()].map((s) => [...s][0] as string);
    const statuses = await waitAllEnded(runIds, (id) => redis.hget(keys.run(id), 'status'));
    expect([...statuses.values()].every((s) => s === 'succeeded')).toBe(true);
    // 0 lost and 0 true duplicates at the downstream, which does not deduplicate by key.
    const counts = all.map((order) => downstream.calls.get(order) ?? 0);
    expect(counts.filter((c) => c === 0)).toEqual([]);
    expect(counts.filter((c) => c > 1)).toEqual([]);
    // Nothing left behind: no run waits without its job, every run recorded ran.
    expect(await redis.zcard(keys.partition(0).byStatus('queued'))).toBe(0);
    expect(await redis.zcard(keys.partition(0).all)).toBe(ORDERS);
    await last.proc.stop(3_000);
  }, 110_000);
});
