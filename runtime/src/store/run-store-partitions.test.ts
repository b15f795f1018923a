import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, uniquePrefix } from '../../../test/runtime/helpers';
import type { RunRecord } from '../engine/run-types';
import { Redactor } from '../infra/redaction';
import { createKeys, type Keys } from './keys';
import { RunStore } from './run-store';

/**
 * The run store over 4 partitions on one real Redis (the layout a cluster gets; the cluster
 * itself is test/runtime/redis-cluster.test.ts): intake in the run's partition, listings and
 * the exception queue merged newest first with a cursor, counts summed, limits shared out.
 */

const prefix = uniquePrefix('partitions');
let keys: Keys;
let redis: Redis;
let store: RunStore;
const T0 = Date.UTC(2026, 0, 1);

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
  keys = createKeys(prefix, 4);
  store = new RunStore(redis, keys, new Redactor([]), 600_000, 4_096);
});

afterAll(async () => {
  redis.disconnect();
  // Each partition has its own prefix (its own hash tag).
  for (const p of keys.partitions) await cleanRedis(p.prefix);
  await cleanRedis(prefix);
});

function serialize(id: string, created: number, extra: { maxDepth?: number } = {}) {
  const record: RunRecord = {
    id,
    flowId: 'f',
    version: '1.0.0',
    status: 'queued',
    trigger: { id },
    businessKeys: { order: `SO-${id}` },
    correlationId: id,
    createdAt: new Date(created).toISOString(),
    stepCount: 0,
  };
  return store.serialize({
    record,
    checkpoint: { seq: 0, steps: 0, pending: [] },
    input: { id },
    stepKeyBase: id,
    ...extra,
  });
}

describe('runs over 4 partitions', () => {
  it('records each run in its partition and lists them merged, newest first, page by page', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => keys.placeRun(`r${i}`, i % 4));
    for (const [i, id] of ids.entries()) {
      expect(await store.intake(serialize(id, T0 + i))).toEqual({ kind: 'created' });
      expect(await redis.zscore(keys.partition(i % 4).all, id)).toBe(String(T0 + i));
    }
    expect(await store.waitingCount()).toBe(20);
    const seen: string[] = [];
    let cursor: number | undefined = 0;
    while (cursor !== undefined) {
      const page: Awaited<ReturnType<RunStore['list']>> = await store.list({
        flow: 'f',
        limit: 6,
        cursor,
      });
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor === null ? undefined : Number(page.nextCursor);
    }
    expect(seen).toEqual([...ids].reverse());
    expect((await store.list({ key: `SO-${ids[7]}`, limit: 5 })).runs.map((r) => r.id)).toEqual([
      ids[7],
    ]);
    const window = await store.list({ from: T0 + 5, to: T0 + 8, limit: 50 });
    expect(window.runs.map((r) => r.id)).toEqual([ids[8], ids[7], ids[6], ids[5]]);
    // Each run's job was added by the same script, to the run queue of the run's partition.
    for (const [i, id] of ids.entries()) {
      const queue = `${keys.partition(i % 4).prefix}:runs`;
      expect(await redis.hget(`${queue}:${id}`, 'data')).toBe(JSON.stringify({ runId: id }));
      expect(await redis.lpos(`${queue}:wait`, id)).not.toBeNull();
    }
  });

  it('answers a run id recorded already with that run instead of writing it again', async () => {
    const id = keys.placeRun('again', 2);
    expect(await store.intake(serialize(id, T0 + 50))).toEqual({ kind: 'created' });
    expect(await store.intake(serialize(id, T0 + 60))).toEqual({ kind: 'duplicate', runId: id });
    expect((await store.record(id))?.createdAt).toBe(new Date(T0 + 50).toISOString());
  });

  it('shares the depth limit out over the partitions', async () => {
    // 21 runs wait; a limit of 20 is 5 per partition: partition 1 holds 5, partition 2 holds 6.
    const full = await store.intake(serialize(keys.placeRun('deep', 1), T0 + 70, { maxDepth: 20 }));
    expect(full).toEqual({ kind: 'full', depth: 5 });
    const roomy = await store.intake(
      serialize(keys.placeRun('deep', 1), T0 + 70, { maxDepth: 24 }),
    );
    // Read with the limit: the partition's runs waiting before this one.
    expect(roomy).toEqual({ kind: 'created', waiting: 5 });
  });

  it('refuses a replay placed outside the partition of the run it replays', async () => {
    const original = keys.placeRun('orig', 0);
    const stray = serialize(keys.placeRun('stray', 3), T0 + 80);
    await expect(store.intake({ ...stray, replayOf: original })).rejects.toThrow(/partition/);
  });
});
