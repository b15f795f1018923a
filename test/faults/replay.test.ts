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
  freePort,
  spawnCrossdock,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * Concurrent and repeated replays of dead-lettered runs against a real `crossdock serve`: each
 * failed run is replayed once (the others get 409), the replay starts at the node whose error
 * was caught (not at the dead-letter node), sends the original step's Idempotency-Key, and the
 * downstream gets exactly one effect per order.
 */

const ORDERS = 8;
const prefix = uniquePrefix('faults-replay');
const keys = createKeys(prefix);
let downstream: CountingDownstream;
let flows: { dir: string; remove(): void };
let redis: Redis;
let serve: CrossdockProcess;
let url = '';
const refusing = new Set<string>();

beforeAll(async () => {
  downstream = await countingDownstream();
  downstream.answer = (order) => (refusing.has(order) ? 422 : 200);
  flows = flowsDirFor(downstream.server.url);
  redis = new Redis('redis://127.0.0.1:6379');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  serve = spawnCrossdock(['serve'], {
    PORT: String(port),
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flows.dir,
    TEST_API_TOKEN: 'fault-token-123',
  });
  await waitHealthy(url, serve);
});

afterAll(async () => {
  await serve.stop(3_000);
  await downstream.close();
  flows.remove();
  redis.disconnect();
  await cleanRedis(prefix);
});

const status = (id: string) => redis.hget(keys.run(id), 'status');

async function run(id: string): Promise<Record<string, unknown>> {
  const res = await api(url, 'GET', `/api/runs/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('replay of dead-lettered runs', () => {
  it('replays each failed run exactly once, from the caught node, with the original key', async () => {
    const doc = flowDoc(
      'fault-ship',
      [
        node('hook', 'trigger.webhook', { path: 'fault/ship' }),
        httpNode('ship', '/shipments'),
        node('park', 'exception.dead-letter', { reason: 'WMS refused the shipment' }),
      ],
      [edge('hook', 'ship'), edge('ship', 'park', 'error')],
      { idempotencyKey: { var: 'order' } },
    );
    const ship = doc.nodes[1];
    if (ship) ship.config = { ...ship.config, query: { order: { var: 'order' } } };
    expect((await api(url, 'PUT', '/api/flows/fault-ship', doc)).status).toBe(201);

    const orders = Array.from({ length: ORDERS }, (_, i) => `S-${i}`);
    for (const o of orders) refusing.add(o);
    const failed: string[] = [];
    for (const order of orders) {
      const res = await fetch(`${url}/hooks/fault/ship`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order }),
      });
      expect(res.status).toBe(202);
      failed.push(((await res.json()) as { runId: string }).runId);
    }
    const ended = await waitAllEnded(failed, status);
    expect([...ended.values()].every((s) => s === 'failed')).toBe(true);
    const parked = await run(failed[0] as string);
    expect(parked).toMatchObject({ failure: { nodeId: 'park', error: { code: 'dead-lettered' } } });

    // A replay that fails again is itself replayable: the chain links both ways.
    const [chainStart] = failed as [string];
    const again = await api(url, 'POST', `/api/runs/${chainStart}/replay`, {});
    expect(again.status).toBe(202);
    const middle = String(again.body.runId);
    expect((await waitAllEnded([middle], status)).get(middle)).toBe('failed');

    for (const o of orders) refusing.delete(o);
    const targets = [middle, ...failed.slice(1)];
    // Three operators press replay at once on every failed run.
    const answers = await Promise.all(
      targets.flatMap((id) =>
        [1, 2, 3].map(async () => ({
          id,
          res: await api(url, 'POST', `/api/runs/${id}/replay`, {}),
        })),
      ),
    );
    const replays = new Map<string, string>();
    for (const { id, res } of answers) {
      if (res.status === 202) {
        expect(replays.has(id)).toBe(false);
        replays.set(id, String(res.body.runId));
      } else {
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ error: { code: 'already-replayed' } });
      }
    }
    expect(replays.size).toBe(targets.length);
    const finished = await waitAllEnded([...replays.values()], status);
    expect([...finished.values()].every((s) => s === 'succeeded')).toBe(true);

    // A later replay of a run already replayed is refused too.
    const late = await api(url, 'POST', `/api/runs/${failed[1]}/replay`, { fromStart: true });
    expect(late.status).toBe(409);

    for (const [original, replay] of replays) {
      const r = await run(replay);
      expect(r).toMatchObject({ replayOf: { runId: original, fromNode: 'ship' } });
      expect((r.steps as { nodeId: string }[])[0]?.nodeId).toBe('ship');
      expect(await run(original)).toMatchObject({ status: 'replaying', replayedBy: replay });
    }
    expect(await run(chainStart)).toMatchObject({ status: 'replaying', replayedBy: middle });
    expect(await run(middle)).toMatchObject({
      replayOf: { runId: chainStart },
      replayedBy: replays.get(middle),
    });
    // Nothing is left in the exception queue.
    expect((await api(url, 'GET', '/api/exceptions')).body).toMatchObject({ runs: [] });

    // One effect per order; every call for an order carried the same Idempotency-Key.
    for (const order of orders) {
      expect({ order, effects: downstream.effects.get(order) }).toEqual({ order, effects: 1 });
      expect({ order, keys: downstream.keys.get(order)?.size }).toEqual({ order, keys: 1 });
    }
    expect(downstream.calls.get('S-0')).toBe(3);
  }, 60_000);
});
