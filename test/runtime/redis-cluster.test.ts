import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type Runtime } from '@crossdock/runtime';
import {
  compactTraces,
  hasRedisBinaries,
  keySlot,
  type LocalCluster,
  startLocalCluster,
} from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  memoryLog,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

/**
 * The runtime on a real local Redis Cluster of three masters (started here with
 * `redis-server --cluster-enabled yes` ×3 and `redis-cli --cluster create`), with run data
 * split over 6 partitions: webhook intake through the API, dedupe, ordering, failures into
 * the exception queue, replay (once), discard, listings merged across partitions, the control
 * tower, compaction and metrics. Every script and MULTI must stay in one slot (a CROSSSLOT
 * error would fail the call and show in the log), and the keys must land on every master.
 */

const PARTITIONS = 6;
const hasRedis = hasRedisBinaries();
let cluster: LocalCluster | undefined;
let runtime: Runtime | undefined;
let server: TestServer;
let flows: { dir: string; remove(): void };
let http: Server | undefined;
let base = '';
const log = memoryLog();
const ADMIN = 'admin-key-cluster';
/** Orders marked `bad` are refused (a permanent error) until the test lets them through. */
let refuseBad = true;

beforeAll(async () => {
  if (!hasRedis) return;
  cluster = await startLocalCluster(3);
  server = await startTestServer();
  server.handler = (_req, res, body) => {
    res.setHeader('content-type', 'application/json');
    if (refuseBad && body.includes('"bad":true')) {
      res.statusCode = 422;
      res.end('{"error":"refused"}');
      return;
    }
    res.end('{"ok":true}');
  };
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix: uniquePrefix('cluster'),
    flowsDir: flows.dir,
    logStream: log.stream,
    env: {
      REDIS_URL: cluster.url,
      CROSSDOCK_REDIS_CLUSTER: '1',
      CROSSDOCK_PARTITIONS: String(PARTITIONS),
      CROSSDOCK_API_KEYS: `admin:${ADMIN}`,
      TEST_API_TOKEN: 'cluster-token-1',
    },
  });
  // The control tower (global keys) follows the hooked orders across partitions.
  await runtime.tower.processes.deploy(
    {
      schemaVersion: 1,
      id: 'cl-o2c',
      name: 'Orders sent',
      version: '1.0.0',
      businessKey: 'order',
      milestones: [
        { id: 'received', name: 'Received', on: [{ flow: 'cl-hooked', node: 'hook' }] },
        { id: 'sent', name: 'Sent', on: [{ flow: 'cl-hooked', node: 'send' }] },
      ],
      expectations: [],
      checks: [],
    },
    'test',
    new Date(),
  );
  runtime.startWorker(12);
  http = createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((r) => http?.once('listening', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  if (http) await new Promise((r) => http?.close(r));
  await runtime?.close();
  await server?.close();
  flows?.remove();
  await cluster?.stop();
});

async function call(method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

/** Every run a listing pages through (50 at a time), in the order it gives them. */
async function listAll(query: string): Promise<{ id: string; createdAt: string }[]> {
  const out: { id: string; createdAt: string }[] = [];
  let cursor: string | null = '0';
  while (cursor !== null) {
    const page = await call('GET', `/api/runs?${query}&limit=7&cursor=${cursor}`);
    out.push(...(page.body.runs as { id: string; createdAt: string }[]));
    cursor = page.body.nextCursor as string | null;
  }
  return out;
}

/** Run hashes and traces each master holds (`*:cd:run:*` keys per node). */
async function runKeysPerNode(ports: number[]): Promise<number[]> {
  return Promise.all(
    ports.map(async (port) => {
      const one = new Redis(port, '127.0.0.1');
      try {
        let count = 0;
        let cursor = '0';
        do {
          const [next, keys] = await one.scan(cursor, 'MATCH', '*:cd:run:*', 'COUNT', 1000);
          cursor = next;
          count += keys.length;
        } while (cursor !== '0');
        return count;
      } finally {
        one.disconnect();
      }
    }),
  );
}

describe('on a Redis Cluster of three masters, run data in 6 partitions', () => {
  it.skipIf(!hasRedis)(
    'runs the scenario suite with keys on every master and no cross-slot command',
    async () => {
      const rt = runtime as Runtime;
      const { ports } = cluster as LocalCluster;
      expect(rt.keys.count).toBe(PARTITIONS);
      // Our slot function agrees with the cluster's, and the partition tags spread over it.
      for (const k of [...rt.keys.partitions.map((p) => p.all), rt.keys.epoch, 'foo', '{a}b']) {
        expect(keySlot(k)).toBe(await rt.redis.call('CLUSTER', 'KEYSLOT', k));
      }
      const slots = new Set(rt.keys.partitions.map((p) => keySlot(p.all)));
      expect(slots.size).toBe(PARTITIONS);

      // Deploy through the API: a webhook flow with an idempotency key and a business key.
      const hooked = flowDoc(
        'cl-hooked',
        [node('hook', 'trigger.webhook', { path: 'cluster/orders' }), httpNode('send', '/orders')],
        [edge('hook', 'send')],
        { idempotencyKey: { var: 'event' }, businessKeys: { order: { var: 'order' } } },
      );
      expect((await call('PUT', '/api/flows/cl-hooked', hooked)).status).toBeLessThan(300);

      // Webhook intake: 60 events, then 10 of them delivered again.
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          fetch(`${base}/hooks/cluster/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ event: `ev-${i}`, order: `SO-${i}`, bad: i % 10 === 3 }),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { runId: string } })),
        ),
      );
      if (answers.some((a) => a.status !== 202)) {
        throw new Error(
          `intake failed: ${log.lines
            .filter((l) => /"level":50/.test(l))
            .slice(0, 3)
            .join('\n')}`,
        );
      }
      const runIds = answers.map((a) => a.body.runId);
      // Each run id names its partition; they spread over every partition.
      const used = new Set(runIds.map((id) => rt.keys.partitionOf(id)));
      expect(runIds.every((id) => /\.p\d+$/.test(id))).toBe(true);
      expect(used.size).toBe(PARTITIONS);
      for (let i = 0; i < 10; i++) {
        const again = await fetch(`${base}/hooks/cluster/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: `ev-${i}`, order: `SO-${i}`, bad: i % 10 === 3 }),
        });
        expect(again.status).toBe(200);
        expect(await again.json()).toMatchObject({ runId: runIds[i], duplicate: true });
      }

      // Ordering: runs with one ordering key share a partition and take turns.
      const ordered = flowDoc(
        'cl-ordered',
        [node('t', 'trigger.manual'), httpNode('send', '/ordered')],
        [edge('t', 'send')],
        { idempotencyKey: { var: 'event' }, orderingKey: { var: 'order' } },
      );
      await rt.flows.deploy(ordered, 'test', new Date());
      const orderedRuns = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          rt.service.start({
            flowId: 'cl-ordered',
            payload: { order: `O-${i % 5}`, event: `o-${i}` },
          }),
        ),
      );
      for (let key = 0; key < 5; key++) {
        const same = orderedRuns.filter((_, i) => i % 5 === key).map((r) => r.runId);
        expect(new Set(same.map((id) => rt.keys.partitionOf(id))).size).toBe(1);
      }

      // Everything ends: 54 succeed, the 6 `bad` orders fail into the exception queue.
      const ended = await Promise.all(
        [...runIds, ...orderedRuns.map((r) => r.runId)].map((id) => waitForRun(rt, id, 40_000)),
      );
      const failed = ended.filter((r) => r.status === 'failed').map((r) => r.id);
      expect(failed).toHaveLength(6);
      expect(ended.filter((r) => r.status === 'succeeded')).toHaveLength(84);
      expect(server.calls.get('/orders')).toBe(60);
      expect(server.calls.get('/ordered')).toBe(30);

      // The exception queue, merged over the partitions, newest first, paged.
      const exceptions = await call('GET', '/api/exceptions?limit=4');
      const more = await call('GET', `/api/exceptions?limit=4&cursor=4`);
      const queued = [
        ...(exceptions.body.runs as { id: string }[]),
        ...(more.body.runs as { id: string }[]),
      ].map((r) => r.id);
      expect([...queued].sort()).toEqual([...failed].sort());
      expect(new Set(failed.map((id) => rt.keys.partitionOf(id))).size).toBeGreaterThan(1);

      // Replay one (in its own partition, once), discard another.
      refuseBad = false;
      const [toReplay, toDiscard] = failed;
      const replay = await call('POST', `/api/runs/${toReplay}/replay`, {});
      expect(replay.status).toBe(202);
      const replayId = String(replay.body.runId);
      expect(rt.keys.partitionOf(replayId)).toBe(rt.keys.partitionOf(String(toReplay)));
      expect((await call('POST', `/api/runs/${toReplay}/replay`, {})).status).toBe(409);
      expect((await waitForRun(rt, replayId, 20_000)).status).toBe('succeeded');
      const discarded = await call('POST', `/api/runs/${toDiscard}/discard`, { reason: 'test' });
      expect(discarded.body).toMatchObject({ status: 'discarded' });
      const left = await call('GET', '/api/exceptions?limit=50');
      expect((left.body.runs as unknown[]).length).toBe(4);

      // Listings merge the partitions: each run once, newest first, by flow, status and key.
      const byFlow = await listAll('flow=cl-hooked');
      expect(byFlow.map((r) => r.id).sort()).toEqual([...runIds, replayId].sort());
      const times = byFlow.map((r) => Date.parse(r.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const succeeded = await listAll('status=succeeded');
      expect(succeeded).toHaveLength(85);
      const byKey = await call('GET', '/api/runs?key=SO-7');
      expect((byKey.body.runs as { id: string }[]).map((r) => r.id)).toEqual([runIds[7]]);
      // The tower records after the step is saved: give the last observation a moment.
      let tower = await rt.tower.store.get('cl-o2c', 'SO-7');
      for (let i = 0; i < 100 && tower?.stage !== 'sent'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        tower = await rt.tower.store.get('cl-o2c', 'SO-7');
      }
      expect(tower?.stage).toBe('sent');
      expect(tower?.timeline.map((e) => e.runId)).toContain(runIds[7]);
      const trace = await call('GET', `/api/runs/${runIds[7]}`);
      expect(trace.body).toMatchObject({ status: 'succeeded', steps: [{ nodeId: 'hook' }, {}] });

      // Queues per partition, metrics, index trimming, compaction, Retry-After.
      const queues = await call('GET', '/api/queues');
      expect((queues.body.queues as unknown[]).length).toBe(PARTITIONS);
      const metrics = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(metrics.status).toBe(200);
      await rt.runs.trimIndexes(rt.now());
      expect(await rt.runs.waitingCount()).toBe(0);
      expect(await rt.runs.drainRate(rt.now() + 1000)).toBeGreaterThan(0);
      expect(await compactTraces(rt.redis, rt.keys, rt.now() + 60_000, 1)).toBe(85);
      expect((await rt.runs.get(String(runIds[7])))?.steps).toHaveLength(2);

      // The keys really spread: every master holds run data, and no command crossed slots.
      const perNode = await runKeysPerNode(ports);
      console.info(`run keys per master: ${perNode.join(', ')}`);
      for (const n of perNode) expect(n).toBeGreaterThan(10);
      expect(log.lines.join('\n')).not.toMatch(/CROSSSLOT|cross.?slot|same slots/i);
      expect(log.lines.filter((l) => l.includes('"level":50'))).toEqual([]);
    },
    90_000,
  );
});
