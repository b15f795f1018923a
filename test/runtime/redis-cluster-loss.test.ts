import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../runtime/src/api/app';
import {
  hasRedisBinaries,
  type LocalCluster,
  startLocalCluster,
} from '../../runtime/src/infra/local-cluster';
import type { Runtime } from '../../runtime/src/runtime';
import { keySlot } from '../../runtime/src/store/key-slot';
import { serveChecked } from '../api-contract';
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
} from './helpers';

/**
 * One master of a real local 3-master Redis Cluster loses its data (FLUSHALL, as a restart
 * without persistence would leave it) while the master holding the global tag keeps its own:
 * the runs, dedupe keys and queues of the partitions on that master are gone. The partition
 * epoch markers report it: one error line naming the partitions, /readyz 503, webhooks 503
 * with Retry-After, deployed flows intact and not "restored". Nothing lost: ready.
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
const ADMIN = 'admin-key-cluster-loss';
let restores = 0;

beforeAll(async () => {
  if (!hasRedis) return;
  cluster = await startLocalCluster(3);
  server = await startTestServer();
  server.handler = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix: uniquePrefix('cluster-loss'),
    flowsDir: flows.dir,
    logStream: log.stream,
    env: {
      REDIS_URL: cluster.url,
      CROSSDOCK_REDIS_CLUSTER: '1',
      CROSSDOCK_PARTITIONS: String(PARTITIONS),
      CROSSDOCK_API_KEYS: `admin:${ADMIN}`,
    },
  });
  // A restore that counts: a loss of run data only must not redeploy anything.
  await runtime.watchEpoch(async () => {
    restores += 1;
    return { flows: [] };
  });
  // Every answer (the 503s with their loss report too) is checked against the API contract.
  http = serveChecked(createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }));
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

/** The port of the master serving each slot range (from CLUSTER SLOTS). */
async function slotOwners(port: number): Promise<{ from: number; to: number; port: number }[]> {
  const one = new Redis(port, '127.0.0.1');
  try {
    const ranges = (await one.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    return ranges.map(([from, to, [, owner]]) => ({ from, to, port: owner }));
  } finally {
    one.disconnect();
  }
}

function hook(order: string) {
  return fetch(`${base}/hooks/loss/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order }),
  });
}

async function readyz() {
  const response = await fetch(`${base}/readyz`);
  return {
    status: response.status,
    body: (await response.json()) as {
      status: string;
      message?: string;
      dataLoss?: { global: boolean; partitions: number[]; restored: boolean };
    },
  };
}

describe('a Redis Cluster master that loses its data', () => {
  it.skipIf(!hasRedis)(
    'is detected by the partition epoch markers and reported; nothing lost stays ready',
    async () => {
      const rt = runtime as Runtime;
      const { ports } = cluster as LocalCluster;
      const owners = await slotOwners(ports[0] as number);
      const portOf = (key: string) => {
        const slot = keySlot(key);
        return owners.find((o) => slot >= o.from && slot <= o.to)?.port;
      };
      // The victim: a master that does not hold the global tag but holds some partitions.
      const globalPort = portOf(rt.keys.epoch);
      const victim = ports.find(
        (p) => p !== globalPort && rt.keys.partitions.some((part) => portOf(part.epoch) === p),
      ) as number;
      const lost = rt.keys.partitions.filter((p) => portOf(p.epoch) === victim).map((p) => p.index);
      expect(lost.length).toBeGreaterThan(0);
      expect(lost.length).toBeLessThan(PARTITIONS);
      // Each partition marker sits in its partition's slot, so on the master with its data.
      for (const p of rt.keys.partitions) expect(keySlot(p.epoch)).toBe(keySlot(p.all));

      const flow = flowDoc(
        'loss-hooked',
        [node('hook', 'trigger.webhook', { path: 'loss/orders' }), httpNode('send', '/orders')],
        [edge('hook', 'send')],
        { idempotencyKey: { var: 'order' } },
      );
      const put = await fetch(`${base}/api/flows/loss-hooked`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(flow),
      });
      expect(put.status).toBeLessThan(300);
      // Orders accepted into every partition (no worker: they stay queued).
      const accepted = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          hook(`SO-${i}`).then(async (r) => ({
            status: r.status,
            runId: ((await r.json()) as { runId: string }).runId,
          })),
        ),
      );
      expect(accepted.every((a) => a.status === 202)).toBe(true);
      const inLost = accepted.filter((a) => lost.includes(rt.keys.partitionOf(a.runId)));
      expect(inLost.length).toBeGreaterThan(0);

      // Nothing lost: ready, and the check finds nothing, however often it runs.
      for (let i = 0; i < 3; i++) {
        const ok = await readyz();
        expect(ok.status).toBe(200);
        expect(ok.body.dataLoss).toBeUndefined();
      }
      expect(await rt.checkEpoch()).toBeUndefined();
      const again = await hook('SO-0');
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ duplicate: true });

      // The victim master loses everything it holds.
      const one = new Redis(victim, '127.0.0.1');
      await one.flushall();
      one.disconnect();

      const notReady = await readyz();
      expect(notReady.status).toBe(503);
      expect(notReady.body.dataLoss).toMatchObject({
        global: false,
        partitions: lost,
        restored: false,
      });
      expect(notReady.body.message).toContain(
        `partition${lost.length === 1 ? '' : 's'} ${lost.join(', ')}`,
      );
      expect(notReady.body.message).toContain('deployed flows are intact');

      // A redelivery of an order whose dedupe key was lost is refused, not run again.
      const lostRun = inLost[0]?.runId as string;
      const order = `SO-${accepted.findIndex((a) => a.runId === lostRun)}`;
      expect(await rt.runs.get(lostRun)).toBeUndefined();
      const refused = await hook(order);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      const refusal = (await refused.json()) as { error: { code: string; message: string } };
      expect(refusal.error.code).toBe('data-loss');
      expect(refusal.error.message).toContain(
        `partition${lost.length === 1 ? '' : 's'} ${lost.join(', ')}`,
      );
      // Deployed flows are intact (global data kept) and nothing was redeployed.
      expect(await rt.activations.hook('loss/orders')).toBeDefined();
      expect(restores).toBe(0);

      // Reported once: later checks (the 2 s timer, /readyz) add no error line.
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await readyz()).status).toBe(503);
      const errors = log.lines.filter((l) => l.includes('"level":50'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`Redis lost its data in partitions ${lost.join(', ')}`);
      expect(errors[0]).toContain('deployed flows are intact');
    },
    90_000,
  );
});
