import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { flowsDirFor, memoryLog, testRuntime, uniquePrefix, until as waitUntil } from './helpers';

/** Redis restarts take a while on a loaded machine: 20 s per wait. */
const until = (check: () => boolean | Promise<boolean>, what: string) =>
  waitUntil(check, what, { timeoutMs: 20_000, everyMs: 50 });

import { freePort } from '@crossdock/runtime/testing';
import { serveChecked } from '../api-contract';

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

describe('a wrong or unreachable REDIS_URL', () => {
  it.skipIf(!hasRedisServer)(
    'is explained once, retried quietly with /readyz failing, and recovers when Redis comes',
    async () => {
      const port = await freePort();
      const log = memoryLog();
      runtime = testRuntime({
        prefix: uniquePrefix('redis-down'),
        flowsDir: flows.dir,
        env: { REDIS_URL: `redis://127.0.0.1:${port}` },
        logStream: log.stream,
      });
      runtime.startWorker(1);
      http = serveChecked(createApp(runtime));
      await new Promise<void>((resolve) => http?.once('listening', () => resolve()));
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      let reconnects = 0;
      runtime.redis.on('reconnecting', () => {
        reconnects += 1;
      });
      await until(() => reconnects >= 3, 'three reconnect attempts');

      const lines = log.lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      const errors = lines.filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg)).toEqual([
        `Redis at redis://127.0.0.1:${port} is not reachable: nothing listens there. Is REDIS_URL right, and is Redis running? Start one with \`redis-server\` (or \`docker run -p 6379:6379 redis:7\`), or unset REDIS_URL and use \`pnpm start\`, which starts a local one. Retrying in the background; /readyz answers 503 until Redis is back.`,
      ]);
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      redis = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      await until(async () => (await fetch(`${base}/readyz`)).status === 200, '/readyz 200');
      expect(log.lines.some((l) => l.includes('Redis is reachable again'))).toBe(true);
      expect(
        log.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50),
      ).toHaveLength(1);
    },
    40_000,
  );
});
