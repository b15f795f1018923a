import { Redis } from 'ioredis';

/**
 * Deletes the keys matching `pattern` (SCAN, then UNLINK a page at a time, so a large prefix
 * never blocks Redis), except those `keep` matches; returns the deleted keys.
 */
export async function deleteMatching(
  redis: Redis,
  pattern: string,
  keep?: RegExp,
): Promise<string[]> {
  const deleted: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const doomed = keep ? keys.filter((k) => !keep.test(k)) : keys;
    if (doomed.length > 0) await redis.unlink(...doomed);
    deleted.push(...doomed);
  } while (cursor !== '0');
  return deleted;
}

/** Deletes every key matching any of `patterns` on the Redis at `url`, through a connection of its own. */
export async function removeMatching(url: string, patterns: readonly string[]): Promise<void> {
  const redis = new Redis(url);
  try {
    for (const pattern of patterns) await deleteMatching(redis, pattern);
  } finally {
    redis.disconnect();
  }
}
