import type { JsonValue, RunState, SharedCache } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';

/**
 * A run's key-value state: one Redis hash per run (values as JSON), and a Redis list per
 * appended key so appends from concurrent steps are atomic; all expire with the run.
 */
export function redisRunState(
  redis: Redis,
  keys: Keys,
  runId: string,
  retentionMs: number,
  /** How values are written: the runtime passes the redactor's, so nothing secret is stored. */
  stringify: (value: JsonValue) => string = JSON.stringify,
): RunState {
  const key = keys.state(runId);
  const listKey = (name: string) => `${key}:list:${name}`;
  return {
    async get(name) {
      const raw = await redis.hget(key, name);
      if (raw !== null) return JSON.parse(raw) as JsonValue;
      const list = await redis.lrange(listKey(name), 0, -1);
      return list.length > 0 ? list.map((item) => JSON.parse(item) as JsonValue) : undefined;
    },
    async set(name, value) {
      await redis.multi().hset(key, name, stringify(value)).pexpire(key, retentionMs).exec();
    },
    async append(name, value) {
      const [, [, list]] = (await redis
        .multi()
        .rpush(listKey(name), stringify(value))
        .lrange(listKey(name), 0, -1)
        .pexpire(listKey(name), retentionMs)
        .hdel(key, name)
        .exec()) as [unknown, [null, string[]]];
      return list.map((item) => JSON.parse(item) as JsonValue);
    },
    async delete(name) {
      await redis.multi().hdel(key, name).del(listKey(name)).exec();
    },
  };
}

/** The cache shared by every worker (e.g. OAuth2 tokens), with expiry. */
export function redisCache(
  redis: Redis,
  keys: Keys,
  stringify: (value: JsonValue) => string = JSON.stringify,
): SharedCache {
  return {
    async get(name) {
      const raw = await redis.get(keys.cache(name));
      return raw === null ? undefined : (JSON.parse(raw) as JsonValue);
    },
    async set(name, value, ttlMs) {
      await redis.set(keys.cache(name), stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async claim(name, value, ttlMs) {
      const key = keys.cache(name);
      const ttl = Math.max(1, Math.round(ttlMs));
      if ((await redis.set(key, stringify(value), 'PX', ttl, 'NX')) === 'OK') return undefined;
      const raw = await redis.get(key);
      // Expired between the two calls: the holder is gone, but someone held it; say so.
      return raw === null ? true : (JSON.parse(raw) as JsonValue);
    },
  };
}
