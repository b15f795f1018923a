import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { StepRecord } from '../engine/run-types';
import type { Keys, PartitionKeys } from './keys';

/**
 * Shrinks the traces of succeeded runs once they are older than a configured age: the step list
 * becomes one deflated field of the run hash (`stepsDeflated`, raw bytes), and what only a resume or
 * a replay needs (`checkpoint`, the raw `input`) is dropped; a succeeded run is never resumed or
 * replayed. The trace reads the same through `GET /api/runs/:id`. Done off the hot path, in
 * batches, by whichever worker process holds the compaction lock.
 */

/** Hash field of a compacted run's steps. */
export const DEFLATED_STEPS = 'stepsDeflated';

/**
 * KEYS: run hash, step list. ARGV: deflated steps, how many were read. Only a run that still
 * exists (an expired one must not come back without its TTL), and only when no step was added
 * since they were read.
 */
const COMPACT_RUN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'stepsDeflated', ARGV[1])
redis.call('HDEL', KEYS[1], 'checkpoint', 'input')
redis.call('DEL', KEYS[2])
return 1`;

/** Stored as raw bytes (base64 would add a third). */
export function deflateSteps(steps: readonly string[]): Buffer {
  return deflateRawSync(`[${steps.join(',')}]`);
}

export function inflateSteps(stored: Buffer): StepRecord[] {
  return JSON.parse(inflateRawSync(stored).toString()) as StepRecord[];
}

/**
 * Compacts the next batch of succeeded runs created before `now - afterMs` in each partition,
 * from where the last batch stopped (a cursor on creation time per partition). Returns how many
 * runs it compacted; 0 when another process holds the lock or nothing is due.
 */
export async function compactTraces(
  redis: Redis,
  keys: Keys,
  now: number,
  afterMs: number,
  batch = 200,
): Promise<number> {
  const lock = `${keys.prefix}:cd:compact:lock`;
  if ((await redis.set(lock, '1', 'PX', 30_000, 'NX')) !== 'OK') return 0;
  try {
    let total = 0;
    for (const k of keys.partitions) total += await compactPartition(redis, k, now, afterMs, batch);
    return total;
  } finally {
    await redis.del(lock);
  }
}

async function compactPartition(
  redis: Redis,
  k: PartitionKeys,
  now: number,
  afterMs: number,
  batch: number,
): Promise<number> {
  const cursor = Number((await redis.get(k.compactCursor)) ?? '-1');
  const due = now - afterMs;
  const rows = await redis.zrangebyscore(
    k.byStatus('succeeded'),
    `(${cursor}`,
    due,
    'WITHSCORES',
    'LIMIT',
    0,
    batch,
  );
  if (rows.length === 0) return 0;
  const ids: string[] = [];
  let last = cursor;
  for (let i = 0; i < rows.length; i += 2) {
    ids.push(rows[i] as string);
    last = Number(rows[i + 1]);
  }
  const steps = (id: string) => `${k.runPrefix}${id}:steps`;
  const read = redis.multi();
  for (const id of ids) read.lrange(steps(id), 0, -1);
  const lists = ((await read.exec()) ?? []).map(([, v]) => v as string[]);
  const write = redis.multi();
  let compacted = 0;
  ids.forEach((id, i) => {
    const list = lists[i] ?? [];
    if (list.length === 0) return;
    write.eval(COMPACT_RUN, 2, k.runPrefix + id, steps(id), deflateSteps(list), list.length);
    compacted += 1;
  });
  // Runs created in the same millisecond as the last one may come in the next batch.
  write.set(k.compactCursor, String(rows.length / 2 < batch ? last : last - 1));
  await write.exec();
  return compacted;
}

/** How often each worker process looks for traces to compact. */
export const COMPACTION_TICK_MS = 5_000;

/** Compacts batches until nothing more is due (at most ten per tick, to leave Redis room). */
export async function compactDue(
  redis: Redis,
  keys: Keys,
  now: () => number,
  afterMs: number,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < 10; i++) {
    const n = await compactTraces(redis, keys, now(), afterMs);
    total += n;
    if (n < 200) break;
  }
  return total;
}
