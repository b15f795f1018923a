import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../faults/processes';
import {
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

/**
 * The runtime on a real local Redis Cluster of three masters (started here with
 * `redis-server --cluster-enabled yes` ×3 and `redis-cli --cluster create`): intake, dedupe,
 * ordering, steps and traces through the cluster client. Every key carries the prefix's hash
 * tag, so scripts and transactions stay in one slot.
 */

const hasRedis = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;
const nodes: ChildProcess[] = [];
let dir: string;
let ports: number[] = [];
let runtime: Runtime | undefined;
let server: TestServer;
let flows: { dir: string; remove(): void };

async function clusterOk(port: number): Promise<boolean> {
  const out = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' });
  return out.stdout.includes('cluster_state:ok');
}

beforeAll(async () => {
  if (!hasRedis) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-cluster-'));
  ports = [await freePort(), await freePort(), await freePort()];
  for (const port of ports) {
    nodes.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          path.join(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  for (const port of ports) {
    for (let i = 0; i < 100; i++) {
      const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
      if (ping.stdout.includes('PONG')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const created = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { encoding: 'utf8' },
  );
  if (created.status !== 0)
    throw new Error(`cluster create failed: ${created.stdout}${created.stderr}`);
  for (let i = 0; i < 200; i++) {
    if ((await Promise.all(ports.map(clusterOk))).every(Boolean)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  server = await startTestServer();
  server.handler = (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  };
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix: uniquePrefix('cluster'),
    flowsDir: flows.dir,
    env: {
      REDIS_URL: ports.map((p) => `redis://127.0.0.1:${p}`).join(','),
      CROSSDOCK_REDIS_CLUSTER: '1',
      TEST_API_TOKEN: 'cluster-token-1',
    },
  });
  runtime.startWorker(8);
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await server?.close();
  flows?.remove();
  for (const n of nodes) n.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('on a Redis Cluster of three masters', () => {
  it.skipIf(!hasRedis)(
    'accepts, deduplicates, orders and runs flows to complete traces',
    async () => {
      const rt = runtime as Runtime;
      const doc = flowDoc(
        'cluster-orders',
        [node('t', 'trigger.manual'), httpNode('send', '/orders')],
        [edge('t', 'send')],
        { idempotencyKey: { var: 'event' }, orderingKey: { var: 'order' } },
      );
      await rt.flows.deploy(doc, 'test', new Date());
      const started = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          rt.service.start({
            flowId: 'cluster-orders',
            payload: { order: `C-${i % 10}`, event: `e-${i}` },
          }),
        ),
      );
      // The same event again: the run that holds its key, no second run.
      const again = await rt.service.start({
        flowId: 'cluster-orders',
        payload: { order: 'C-0', event: 'e-0' },
      });
      expect(again).toEqual({ runId: started[0]?.runId, duplicate: true });
      for (const { runId } of started) {
        const run = await waitForRun(rt, runId, 30_000);
        expect(run.status).toBe('succeeded');
        expect(run.steps.map((s) => s.nodeId)).toEqual(['t', 'send']);
      }
      expect(server.calls.get('/orders')).toBe(30);
      // Every key sits in the slot of the prefix's hash tag (one master holds them all).
      const slot = (await rt.redis.call('CLUSTER', 'KEYSLOT', rt.keys.run('x'))) as number;
      expect(await rt.redis.call('CLUSTER', 'KEYSLOT', rt.keys.byStatus('succeeded'))).toBe(slot);
    },
    90_000,
  );
});
