import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * For `pnpm start`: with REDIS_URL unset and nothing on 6379, starts a local `redis-server`
 * (no persistence, noeviction) when the binary is on PATH; otherwise explains how to get Redis.
 */
export async function ensureLocalRedis(env: NodeJS.ProcessEnv): Promise<ChildProcess | undefined> {
  if (env.REDIS_URL) return undefined;
  if (await answers(6379)) return undefined;
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) {
    throw new RedisUnavailableError(
      'Crossdock needs Redis 7: nothing answers on 127.0.0.1:6379 and redis-server is not on PATH. Install it (apt-get install redis-server, brew install redis), run `docker run -p 6379:6379 redis:7`, or set REDIS_URL.',
    );
  }
  const child = spawn(
    'redis-server',
    [
      '--port',
      '6379',
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await answers(6379)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailableError(
    'Started redis-server, but it did not answer on 6379 within 5 s.',
  );
}
