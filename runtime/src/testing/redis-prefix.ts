import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis tests use: `REDIS_URL`, else the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix for one test (hash-tagged, so it also works on Redis Cluster). */
export function uniquePrefix(name: string): string {
  return `{cdtest-${name}-${randomUUID().slice(0, 8)}}`;
}

/** Deletes every key under a test prefix, so a test leaves nothing behind. */
export async function cleanRedis(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
