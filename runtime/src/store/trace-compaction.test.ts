import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, uniquePrefix } from '../../../test/runtime/helpers';
import type { RunRecord, StepRecord } from '../engine/run-types';
import { Redactor } from '../infra/redaction';
import { createKeys } from './keys';
import { RunStore } from './run-store';
import { compactTraces } from './trace-compaction';

/** Compaction on the real Redis: smaller, and the trace reads the same. */

const prefix = uniquePrefix('compact');
const keys = createKeys(prefix);
let redis: Redis;
let store: RunStore;
const T0 = Date.parse('2026-12-04T08:00:00Z');

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
  store = new RunStore(redis, keys, new Redactor([]), 3_600_000, 16_384);
});

afterAll(async () => {
  redis.disconnect();
  await cleanRedis(prefix);
});

const order = {
  order: {
    number: 'SO-1',
    lines: Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-${i}`, qty: i + 1 })),
  },
};

/** A run of `steps` steps, created at `created`, ending with `status`. */
async function run(id: string, created: number, status: 'succeeded' | 'failed' | undefined) {
  const record: RunRecord = {
    id,
    flowId: 'f',
    version: '1.0.0',
    status: 'queued',
    trigger: order,
    businessKeys: {},
    correlationId: id,
    createdAt: new Date(created).toISOString(),
    stepCount: 0,
  };
  const cp = { seq: 0, steps: 0, pending: [] };
  await store.intake(store.serialize({ record, checkpoint: cp, input: order, stepKeyBase: id }));
  const loaded = await store.load(id);
  if (!loaded) throw new Error('not recorded');
  for (let i = 0; i < 4; i++) {
    const step: StepRecord = {
      index: i,
      nodeId: `n${i}`,
      nodeType: 'mapping.map',
      messageId: `m${i}`,
      attempt: 1,
      status: 'succeeded',
      startedAt: new Date(created + i).toISOString(),
      endedAt: new Date(created + i + 1).toISOString(),
      durationMs: 1,
      inputPort: 'in',
      input: order,
      output: [{ port: 'out', payload: order }],
      ports: ['out'],
    };
    cp.steps += 1;
    const last = i === 3 && status !== undefined;
    const end = !last
      ? undefined
      : status === 'failed'
        ? {
            status,
            failure: {
              nodeId: 'n3',
              nodeType: 'mapping.map',
              messageId: 'm3',
              error: {
                name: 'E',
                errorClass: 'permanent' as const,
                code: 'internal' as const,
                message: 'x',
                retryable: false,
              },
              at: new Date(created).toISOString(),
            },
          }
        : { status: 'succeeded' as const };
    await store.saveStep(loaded, step, cp, end, created + i);
  }
}

/** Every element counted: by default MEMORY USAGE samples 5 fields of a hash, and which 5 depends
 * on the server's hash seed, so the estimate changed from one Redis start to the next. */
const bytes = async (id: string) =>
  Number(await redis.memory('USAGE', keys.run(id), 'SAMPLES', 0)) +
  Number((await redis.memory('USAGE', keys.steps(id), 'SAMPLES', 0)) ?? 0);

describe('trace compaction', () => {
  it('deflates the steps of succeeded runs past the age, and the trace reads the same', async () => {
    await run('old-ok', T0, 'succeeded');
    await run('old-failed', T0 + 1, 'failed');
    await run('new-ok', T0 + 60_000, 'succeeded');
    const before = await store.get('old-ok');
    const sizeBefore = await bytes('old-ok');
    expect(await compactTraces(redis, keys, T0 + 30_000, 10_000)).toBe(1);
    expect(await store.get('old-ok')).toEqual(before);
    const sizeAfter = await bytes('old-ok');
    console.info(`run of 4 steps: ${sizeBefore} bytes, compacted ${sizeAfter} bytes`);
    expect(sizeAfter).toBeLessThan(sizeBefore / 2);
    expect(await redis.exists(keys.steps('old-ok'))).toBe(0);
    expect(await redis.hmget(keys.run('old-ok'), 'checkpoint', 'input')).toEqual([null, null]);
    // A failed run keeps what a replay needs; a run not old enough is left alone.
    expect(await store.internals('old-failed')).toBeDefined();
    expect(await redis.llen(keys.steps('old-failed'))).toBe(4);
    expect(await redis.llen(keys.steps('new-ok'))).toBe(4);
    // The cursor moved on: nothing more is due.
    expect(await compactTraces(redis, keys, T0 + 30_000, 10_000)).toBe(0);
    expect(await compactTraces(redis, keys, T0 + 80_000, 10_000)).toBe(1);
  });

  it('never brings back a run whose hash expired', async () => {
    await run('gone', T0 + 100_000, 'succeeded');
    await redis.del(keys.run('gone'));
    await compactTraces(redis, keys, T0 + 200_000, 10_000);
    expect(await redis.exists(keys.run('gone'))).toBe(0);
  });
});
