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
const ADMIN = 'admin-key-cluster-loss';
const hasRedis = hasRedisBinaries();
let cluster: LocalCluster | undefined;
let server: TestServer;
let flows: { dir: string; remove(): void };
const stacks: Stack[] = [];

/** A runtime on its own prefix of the cluster, served over HTTP with the contract check. */
interface Stack {
  runtime: Runtime;
  base: string;
  log: { lines: string[] };
  /** How often the restore ran (a loss of run data only must not redeploy anything). */
  restores: number;
  close(): Promise<void>;
}

async function startStack(name: string): Promise<Stack> {
  const log = memoryLog();
  const runtime = testRuntime({
    prefix: uniquePrefix(name),
    flowsDir: flows.dir,
    logStream: log.stream,
    env: {
      REDIS_URL: (cluster as LocalCluster).url,
      CROSSDOCK_REDIS_CLUSTER: '1',
      CROSSDOCK_PARTITIONS: String(PARTITIONS),
      CROSSDOCK_API_KEYS: `admin:${ADMIN}`,
    },
  });
  const http = serveChecked(createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }));
  await new Promise((r) => http.once('listening', r));
  const stack: Stack = {
    runtime,
    base: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    log,
    restores: 0,
    async close() {
      await new Promise((r) => http.close(r));
      await runtime.close();
    },
  };
  await runtime.watchEpoch(async () => {
    stack.restores += 1;
    return { flows: [] };
  });
  stacks.push(stack);
  return stack;
}

beforeAll(async () => {
  if (!hasRedis) return;
  cluster = await startLocalCluster(3);
  server = await startTestServer();
  server.handler = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
  flows = flowsDirFor(server.url);
}, 60_000);

afterAll(async () => {
  for (const stack of stacks) await stack.close();
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

/**
 * A master that does not hold the runtime's global tag but holds some of its partitions, and
 * those partitions (each marker sits in its partition's slot, so on the master with its data).
 */
async function victimOf(rt: Runtime): Promise<{ port: number; lost: number[] }> {
  const { ports } = cluster as LocalCluster;
  const owners = await slotOwners(ports[0] as number);
  const portOf = (key: string) => {
    const slot = keySlot(key);
    return owners.find((o) => slot >= o.from && slot <= o.to)?.port;
  };
  const globalPort = portOf(rt.keys.epoch);
  const port = ports.find(
    (p) => p !== globalPort && rt.keys.partitions.some((part) => portOf(part.epoch) === p),
  ) as number;
  for (const p of rt.keys.partitions) expect(keySlot(p.epoch)).toBe(keySlot(p.all));
  const lost = rt.keys.partitions.filter((p) => portOf(p.epoch) === port).map((p) => p.index);
  expect(lost.length).toBeGreaterThan(0);
  expect(lost.length).toBeLessThan(PARTITIONS);
  return { port, lost };
}

const named = (lost: number[]) => `partition${lost.length === 1 ? '' : 's'} ${lost.join(', ')}`;

function hook(stack: Stack, order: string) {
  return fetch(`${stack.base}/hooks/loss/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order }),
  });
}

interface Readiness {
  status: number;
  body: {
    status: string;
    message?: string;
    dataLoss?: { global: boolean; partitions: number[]; restored: boolean };
  };
}

async function readyz(stack: Stack): Promise<Readiness> {
  const response = await fetch(`${stack.base}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** Deploys the webhook flow and accepts `count` orders into every partition (no worker). */
async function acceptOrders(stack: Stack, count: number) {
  const flow = flowDoc(
    'loss-hooked',
    [node('hook', 'trigger.webhook', { path: 'loss/orders' }), httpNode('send', '/orders')],
    [edge('hook', 'send')],
    { idempotencyKey: { var: 'order' } },
  );
  const put = await fetch(`${stack.base}/api/flows/loss-hooked`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(flow),
  });
  expect(put.status).toBeLessThan(300);
  const accepted = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      hook(stack, `SO-${i}`).then(async (r) => ({
        status: r.status,
        order: `SO-${i}`,
        runId: ((await r.json()) as { runId: string }).runId,
      })),
    ),
  );
  expect(accepted.every((a) => a.status === 202)).toBe(true);
  return accepted;
}

/** The loss is reported: /readyz 503 naming the partitions, a redelivery refused, flows kept. */
async function expectReported(stack: Stack, lost: number[], order: string, runId: string) {
  const rt = stack.runtime;
  const notReady = await readyz(stack);
  expect(notReady.status).toBe(503);
  expect(notReady.body.dataLoss).toMatchObject({
    global: false,
    partitions: lost,
    restored: false,
  });
  expect(notReady.body.message).toContain(named(lost));
  expect(notReady.body.message).toContain('deployed flows are intact');
  // A redelivery of an order whose dedupe key was lost is refused, not run again.
  expect(await rt.runs.get(runId)).toBeUndefined();
  const refused = await hook(stack, order);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('30');
  const refusal = (await refused.json()) as { error: { code: string; message: string } };
  expect(refusal.error.code).toBe('data-loss');
  expect(refusal.error.message).toContain(named(lost));
  // Deployed flows are intact (global data kept) and nothing was redeployed.
  expect(await rt.activations.hook('loss/orders')).toBeDefined();
  expect(stack.restores).toBe(0);
}

/** The loss's error lines: exactly one, naming the partitions. */
function lossLines(stack: Stack): string[] {
  return stack.log.lines.filter((l) => l.includes('"level":50') && l.includes('Redis lost'));
}

describe('a Redis Cluster master that loses its data', () => {
  it.skipIf(!hasRedis)(
    'flushed: detected by the partition epoch markers and reported; nothing lost stays ready',
    async () => {
      const stack = await startStack('cluster-flush');
      const rt = stack.runtime;
      const { port: victim, lost } = await victimOf(rt);
      const accepted = await acceptOrders(stack, 30);
      const inLost = accepted.filter((a) => lost.includes(rt.keys.partitionOf(a.runId)));
      expect(inLost.length).toBeGreaterThan(0);

      // Nothing lost: ready, and the check finds nothing, however often it runs.
      for (let i = 0; i < 3; i++) {
        const ok = await readyz(stack);
        expect(ok.status).toBe(200);
        expect(ok.body.dataLoss).toBeUndefined();
      }
      expect(await rt.checkEpoch()).toBeUndefined();
      const again = await hook(stack, 'SO-0');
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ duplicate: true });

      // The victim master loses everything it holds.
      const one = new Redis(victim, '127.0.0.1');
      await one.flushall();
      one.disconnect();
      await expectReported(stack, lost, inLost[0]?.order as string, inLost[0]?.runId as string);

      // Reported once: later checks (the 2 s timer, /readyz) add no error line.
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await readyz(stack)).status).toBe(503);
      const errors = stack.log.lines.filter((l) => l.includes('"level":50'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`Redis lost its data in partitions ${lost.join(', ')}`);
      expect(errors[0]).toContain('deployed flows are intact');
    },
    90_000,
  );

  it.skipIf(!hasRedis)(
    'restarted empty (kill -9, no persistence): not ready while away, then reported',
    async () => {
      const stack = await startStack('cluster-restart');
      const rt = stack.runtime;
      const { port: victim, lost } = await victimOf(rt);
      const accepted = await acceptOrders(stack, 30);
      const inLost = accepted.filter((a) => lost.includes(rt.keys.partitionOf(a.runId)));
      expect((await readyz(stack)).status).toBe(200);

      let whileAway: Promise<Readiness> | undefined;
      await (cluster as LocalCluster).restart(victim, async () => {
        // Asked while the master is away: its markers cannot be read, so never "ready".
        whileAway = readyz(stack);
        await new Promise((r) => setTimeout(r, 300));
      });
      expect((await whileAway)?.status).toBe(503);
      // The client reconnects to the master on its own; the next check that reaches it reports.
      let after = await readyz(stack);
      for (let i = 0; i < 100 && after.body.dataLoss === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await readyz(stack);
      }
      expect(after.body.dataLoss).toBeDefined();
      await expectReported(stack, lost, inLost[0]?.order as string, inLost[0]?.runId as string);
      await new Promise((r) => setTimeout(r, 2_500));
      expect(lossLines(stack)).toHaveLength(1);
      expect(lossLines(stack)[0]).toContain(`Redis lost its data in partitions ${lost.join(', ')}`);
    },
    90_000,
  );
});
