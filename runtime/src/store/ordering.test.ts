import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, uniquePrefix } from '../../../test/runtime/helpers';
import type { RunRecord } from '../engine/run-types';
import { Redactor } from '../infra/redaction';
import { createKeys } from './keys';
import { RunStore } from './run-store';

/** Per-key ordering on the real Redis: the intake script queues, `orderingTurn` takes turns. */

const prefix = uniquePrefix('ordering');
const keys = createKeys(prefix);
let redis: Redis;
let store: RunStore;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
  store = new RunStore(redis, keys, new Redactor([]), 60_000, 4_096);
});

afterAll(async () => {
  redis.disconnect();
  await cleanRedis(prefix);
});

async function accept(id: string, orderingKey: string | undefined) {
  const record: RunRecord = {
    id,
    flowId: 'f',
    version: '1.0.0',
    status: 'queued',
    trigger: { id },
    businessKeys: {},
    correlationId: id,
    createdAt: new Date().toISOString(),
    stepCount: 0,
    ...(orderingKey !== undefined ? { orderingKey } : {}),
  };
  const serialized = store.serialize({
    record,
    checkpoint: { seq: 0, steps: 0, pending: [] },
    input: { id },
    stepKeyBase: id,
  });
  expect(await store.intake(serialized)).toEqual({ kind: 'created' });
  return { id, flowId: 'f', orderingKey: orderingKey ?? '' };
}

describe('ordering turns', () => {
  it('lets runs with one key start in acceptance order, one at a time, and others at once', async () => {
    const a = await accept('r-a', 'o-1');
    const b = await accept('r-b', 'o-1');
    const c = await accept('r-c', 'o-1');
    const other = await accept('r-x', 'o-2');
    expect((await store.load('r-b'))?.orderingKey).toBe('o-1');
    expect(await store.orderingTurn(a)).toBe(true);
    expect(await store.orderingTurn(b)).toBe(false);
    expect(await store.orderingTurn(c)).toBe(false);
    expect(await store.orderingTurn(other)).toBe(true);
    // Running still holds the key; an end releases it to the next in line only.
    await redis.hset(keys.run('r-a'), 'status', 'running');
    expect(await store.orderingTurn(b)).toBe(false);
    await redis.hset(keys.run('r-a'), 'status', 'failed');
    expect(await store.orderingTurn(c)).toBe(false);
    expect(await store.orderingTurn(b)).toBe(true);
    expect(await redis.lrange(keys.partition(0).ordering('f', 'o-1'), 0, -1)).toEqual([
      'r-b',
      'r-c',
    ]);
  });

  it('skips a run ahead whose record expired, and never blocks a run missing from the queue', async () => {
    const first = await accept('r-d', 'o-3');
    const second = await accept('r-e', 'o-3');
    await redis.del(keys.run(first.id));
    expect(await store.orderingTurn(second)).toBe(true);
    await redis.del(keys.partition(0).ordering('f', 'o-3'));
    expect(await store.orderingTurn(second)).toBe(true);
    // A run without an ordering key writes no queue.
    await accept('r-f', undefined);
    expect(await redis.exists(keys.partition(0).ordering('f', ''))).toBe(0);
  });
});
