import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createKeys } from '../store/keys';
import { cleanRedis, TEST_REDIS_URL, uniquePrefix } from '../testing/redis-prefix';
import { createLogger } from './logger';
import { Redactor } from './redaction';
import { describeLoss, RedisEpoch } from './redis-epoch';

/**
 * The epoch markers on the shared test Redis, each test on its own prefix (only its own keys
 * are deleted: a "loss" here is a DEL of the markers, as FLUSHALL would leave them).
 */

const redis = new Redis(TEST_REDIS_URL);
const prefixes: string[] = [];

afterEach(async () => {
  await Promise.all(prefixes.splice(0).map((p) => cleanRedis(p)));
});
afterAll(() => {
  redis.disconnect();
});

function setup(name: string, partitions: number) {
  const prefix = uniquePrefix(`epoch-${name}`);
  prefixes.push(prefix);
  const keys = createKeys(prefix, partitions);
  const errors: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = JSON.parse(chunk.toString()) as Record<string, unknown>;
      if (line.level === 50) errors.push(line);
      done();
    },
  });
  const log = createLogger('info', new Redactor([]), stream);
  const epoch = new RedisEpoch(
    redis,
    { global: keys.epoch, partitions: keys.partitions.map((p) => p.epoch) },
    log,
    () => Date.parse('2026-12-04T12:00:00Z'),
  );
  return { keys, epoch, errors };
}

describe('the epoch markers', () => {
  it('with one partition use only the global key, as before partitions', async () => {
    const { keys, epoch } = setup('one', 1);
    await epoch.start();
    const written: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}*`, 'COUNT', 1000);
      cursor = next;
      written.push(...found);
    } while (cursor !== '0');
    expect(written).toEqual([keys.epoch]);
    expect(await epoch.check()).toBeUndefined();
  });

  it('see nothing lost when every marker is there, and join a second process', async () => {
    const { keys, epoch } = setup('none', 4);
    await epoch.start();
    for (const p of keys.partitions) expect(await redis.get(p.epoch)).toMatch(/^[0-9a-f-]{36}$/);
    // Another process joins the same markers, never overwrites them.
    const other = new RedisEpoch(
      redis,
      { global: keys.epoch, partitions: keys.partitions.map((p) => p.epoch) },
      createLogger('silent', new Redactor([])),
      Date.now,
    );
    const before = await redis.mget(keys.epoch, ...keys.partitions.map((p) => p.epoch));
    await other.start();
    expect(await redis.mget(keys.epoch, ...keys.partitions.map((p) => p.epoch))).toEqual(before);
    expect(await epoch.check()).toBeUndefined();
    expect(await other.check()).toBeUndefined();
  });

  it('report a loss of partitions only: named, once, nothing restored, flows intact', async () => {
    const { keys, epoch, errors } = setup('parts', 4);
    await epoch.start();
    await redis.del(keys.partition(1).epoch, keys.partition(3).epoch);
    let restores = 0;
    const restore = async () => {
      restores += 1;
      return { flows: ['f'] };
    };
    const loss = await epoch.check(restore);
    expect(loss).toMatchObject({ global: false, partitions: [1, 3], restored: false });
    expect(loss?.expected).toBe(loss?.found);
    expect(restores).toBe(0);
    expect(describeLoss(loss as NonNullable<typeof loss>)).toMatch(
      /^Redis lost the run data of partitions 1, 3 .*deployed flows are intact\. Re-sent orders/,
    );
    // New markers were written; checking again reports the same loss and logs nothing more.
    expect(await redis.get(keys.partition(1).epoch)).not.toBeNull();
    expect(await epoch.check(restore)).toBe(loss);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ lostPartitions: [1, 3] });
    expect(String(errors[0]?.msg)).toContain('Redis lost its data in partitions 1, 3');

    // A later loss of another partition adds to the open report (one more line).
    await redis.del(keys.partition(0).epoch);
    expect(await epoch.check(restore)).toMatchObject({ global: false, partitions: [0, 1, 3] });
    expect(errors).toHaveLength(2);
  });

  it('report a loss of everything (one Redis restarted empty): global and partitions', async () => {
    const { keys, epoch, errors } = setup('all', 3);
    await epoch.start();
    const global = await redis.get(keys.epoch);
    await redis.del(keys.epoch, ...keys.partitions.map((p) => p.epoch));
    const loss = await epoch.check(async () => ({ flows: ['a', 'b'] }));
    expect(loss).toMatchObject({
      global: true,
      partitions: [0, 1, 2],
      expected: global,
      found: null,
      restored: true,
      restoredFlows: ['a', 'b'],
    });
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toContain('run data of partitions 0, 1, 2 too');
  });

  it('report a loss of the global data only, and what to do when nothing restores', async () => {
    const { keys, epoch } = setup('global', 3);
    await epoch.start();
    await redis.del(keys.epoch);
    const loss = await epoch.check();
    expect(loss).toMatchObject({ global: true, partitions: [], restored: false });
    expect(loss?.action).toBe('Deploy or promote the flows again; then restart the runtime.');
    expect(describeLoss(loss as NonNullable<typeof loss>)).toMatch(
      /^Redis lost its data \(detected 2026-12-04T12:00:00.000Z\): .* deployed flows recorded before are gone\. Deploy/,
    );
    // A partition lost afterwards keeps the global report (and its action) open.
    await redis.del(keys.partition(2).epoch);
    const more = await epoch.check();
    expect(more).toMatchObject({ global: true, partitions: [2], restored: false });
    expect(more?.action).toBe('Deploy or promote the flows again; then restart the runtime.');
  });

  it('report a failed restore as the action', async () => {
    const { keys, epoch, errors } = setup('fail', 2);
    await epoch.start();
    await redis.del(keys.epoch);
    const loss = await epoch.check(async () => {
      throw new Error('flow files unreadable');
    });
    expect(loss).toMatchObject({
      restored: false,
      action: 'Restoring the flows failed: flow files unreadable',
    });
    expect(errors).toHaveLength(2);
  });
});
