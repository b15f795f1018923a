import { randomUUID } from 'node:crypto';
import { removeMatching } from '../infra/redis-scan';
import { keyPatterns } from '../store/keys';

/** The Redis tests use: `REDIS_URL`, else the local default. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh key prefix for one test (hash-tagged, so it also works on Redis Cluster). */
export function uniquePrefix(name: string): string {
  return `{cdtest-${name}-${randomUUID().slice(0, 8)}}`;
}

/** Deletes every key under a test prefix (its partitions' included), so a test leaves nothing behind. */
export function cleanRedis(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  return removeMatching(url, keyPatterns(prefix));
}
