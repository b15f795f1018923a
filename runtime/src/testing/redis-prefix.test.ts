import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeys } from '../store/keys';
import { cleanRedis, TEST_REDIS_URL, uniquePrefix } from './redis-prefix';

const redis = new Redis(TEST_REDIS_URL);
afterAll(() => redis.disconnect());

describe('cleanRedis', () => {
  it("removes the keys of every partition of a prefix, and nobody else's", async () => {
    const prefix = uniquePrefix('clean');
    const neighbour = uniquePrefix('clean');
    const keys = createKeys(prefix, 3);
    for (const p of keys.partitions) await redis.set(p.epoch, '1');
    await redis.set(keys.epoch, '1');
    await redis.set(`${neighbour}:cd:epoch`, '1');
    await redis.set(`{${neighbour.slice(1, -1)}~0}:cd:epoch`, '1');
    expect(keys.partitions.every((p) => !p.prefix.startsWith(prefix))).toBe(true);

    await cleanRedis(prefix);

    for (const p of keys.partitions) expect(await redis.exists(p.epoch)).toBe(0);
    expect(await redis.exists(keys.epoch)).toBe(0);
    expect(await redis.exists(`${neighbour}:cd:epoch`)).toBe(1);
    expect(await redis.exists(`{${neighbour.slice(1, -1)}~0}:cd:epoch`)).toBe(1);
    await cleanRedis(neighbour);
    expect(await redis.keys(`*${neighbour.slice(1, -1)}*`)).toEqual([]);
  });

  it('reads glob characters in a prefix as themselves', async () => {
    const prefix = `{cdtest-glob-*-${Date.now()}}`;
    const other = `{cdtest-glob-x-${Date.now()}}`;
    await redis.set(`${other}:k`, '1');
    await cleanRedis(prefix);
    expect(await redis.exists(`${other}:k`)).toBe(1);
    await cleanRedis(other);
    expect(await redis.exists(`${other}:k`)).toBe(0);
  });
});
