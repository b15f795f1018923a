import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type Runtime } from '@crossdock/runtime';
import { freePort } from '@crossdock/runtime/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import { startPrivateRedis } from '../faults/processes';
import { flowsDirFor, testRuntime, uniquePrefix } from './helpers';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

let redis: ChildProcess | undefined;
let runtime: Runtime | undefined;
let http: Server | undefined;
const flows = flowsDirFor('http://127.0.0.1:9');

afterAll(async () => {
  if (http) await new Promise((r) => http?.close(r));
  await runtime?.close();
  redis?.kill();
  flows.remove();
});

describe('readiness', () => {
  it.skipIf(!hasRedisServer)(
    'fails /readyz with a clear message when Redis may evict keys',
    async () => {
      // A private Redis with an evicting policy: the shared one must stay noeviction.
      const port = await freePort();
      redis = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'allkeys-lru',
        ],
        { stdio: 'ignore' },
      );
      runtime = testRuntime({
        prefix: uniquePrefix('ready'),
        flowsDir: flows.dir,
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
      });
      for (let i = 0; i < 100; i++) {
        try {
          await runtime.redis.ping();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      http = serveChecked(createApp(runtime));
      await new Promise((r) => http?.once('listening', r));
      const res = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { message: string };
      expect(body.message).toContain('allkeys-lru');
      expect(body.message).toContain('noeviction');
    },
  );
});

describe('Redis memory', () => {
  it.skipIf(!hasRedisServer)(
    'warns on /readyz and reports used and max memory in /metrics before Redis is full',
    async () => {
      const limited = await startPrivateRedis({
        args: ['--maxmemory', '16mb', '--maxmemory-policy', 'noeviction'],
      });
      const rt = testRuntime({
        prefix: uniquePrefix('memory'),
        flowsDir: flows.dir,
        env: { REDIS_URL: limited.url },
      });
      const server = serveChecked(createApp(rt));
      try {
        await new Promise((r) => (server.listening ? r(null) : server.once('listening', r)));
        // Connected before /readyz is asked (it answers 503 while connecting).
        await rt.redis.ping();
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const before = (await (await fetch(`${base}/readyz`)).json()) as {
          warnings?: string[];
          redis: { usedMemory: number; maxMemory: number };
        };
        expect(before.redis.maxMemory).toBe(16 * 1024 * 1024);
        expect(before.warnings ?? []).not.toEqual(
          expect.arrayContaining([expect.stringContaining('maxmemory')]),
        );
        // Fill Redis past 80% of its limit, as a growing trace store would.
        for (let i = 0; ; i++) {
          const m = await rt.redis.info('memory');
          if (Number(/^used_memory:(\d+)/m.exec(m)?.[1]) > 0.85 * 16 * 1024 * 1024) break;
          await rt.redis.set(`filler${i}`, 'x'.repeat(500_000));
        }
        const res = await fetch(`${base}/readyz`);
        expect(res.status).toBe(200);
        const after = (await res.json()) as { warnings?: string[] };
        expect(after.warnings).toEqual(
          expect.arrayContaining([expect.stringMatching(/Redis uses \d+% of its maxmemory/)]),
        );
        const metrics = await (await fetch(`${base}/metrics`)).text();
        expect(metrics).toContain(`crossdock_redis_memory_bytes{kind="max"} ${16 * 1024 * 1024}`);
        expect(metrics).toMatch(/crossdock_redis_memory_bytes\{kind="used"\} \d+/);
      } finally {
        await new Promise((r) => server.close(r));
        await rt.close();
        await limited.stop();
      }
    },
  );
});
