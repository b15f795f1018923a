import type { JsonValue } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type {
  RunCheckpoint,
  RunFailure,
  RunRecord,
  RunResolution,
  RunStatus,
  RunWithSteps,
  StepRecord,
} from '../engine/run-types';
import { RUN_STATUSES } from '../engine/run-types';
import type { Redactor } from '../infra/redaction';
import { truncate } from '../infra/redaction';
import type { Keys, PartitionKeys } from './keys';
import { isPrioritized, RUN_JOB_KEY_COUNT, RUN_JOB_LUA, runJobArgs, runJobKeys } from './run-job';
import { DEFLATED_STEPS, inflateSteps } from './trace-compaction';
import { type PayloadOrigins, resolveInputs, TraceText } from './trace-text';

/** What a worker needs to continue a run. */
export interface LoadedRun {
  id: string;
  flowId: string;
  version: string;
  status: RunStatus;
  correlationId: string;
  createdAt: number;
  checkpoint: RunCheckpoint;
  /** Base of the run's step idempotency keys (see `stepKeyBase`). */
  stepKeyBase: string;
  /** Test runs never enter the exception queue. */
  test?: boolean;
  dryRun?: RunRecord['dryRun'];
  /** The flow's ordering key for this run: it waits its turn behind earlier runs with it. */
  orderingKey?: string;
  awaitsReply?: true;
}

export interface NewRun {
  record: RunRecord;
  checkpoint: RunCheckpoint;
  /** Raw trigger payload (kept out of the trace; used by a replay from the start). */
  input: JsonValue;
  /** Reserve this idempotency key for the run (a repeat answers the run that holds it). */
  dedupe?: { key: string; windowMs: number };
  /** Refuse the run when this many runs already wait to start (back-pressure). */
  maxDepth?: number;
  /** BullMQ priority of the run's job (its flow's `settings.priority`). */
  priority?: number;
  /** Base of the step idempotency keys (see `stepKeyBase`). */
  stepKeyBase: string;
}

/**
 * The run hash, serialized before the intake script runs: a payload that cannot be serialized
 * (too deep, too odd) fails here, before anything is written.
 */
export interface SerializedRun {
  id: string;
  flowId: string;
  created: number;
  fields: string[];
  businessKeys: string[];
  dedupe?: { key: string; windowMs: number };
  maxDepth?: number;
  replayOf?: string;
  /** The original's resolution, written with the claim. */
  resolution?: string;
  /** Appended to its flow's queue for this ordering key, in acceptance order. */
  orderingKey?: string;
  /** BullMQ priority of the run's job. */
  priority?: number;
}

/** What the intake script did. */
export type IntakeResult =
  | {
      kind: 'created';
      /** Runs of the partition waiting to start before this one (read with the depth limit). */
      waiting?: number;
    }
  | { kind: 'duplicate'; runId: string }
  | { kind: 'full'; depth: number }
  | { kind: 'not-replayable'; status: string; replayedBy?: string };

export interface RunFilter {
  flow?: string;
  status?: RunStatus;
  key?: string;
  from?: number;
  to?: number;
  cursor?: number;
  limit: number;
}

/**
 * The durable checkpoint as one atomic script (one round trip, one command for Redis to parse):
 * append the step records (the pure steps since the last checkpoint and the step that ends it),
 * save the checkpoint, move the run to running on its first write and to its end status
 * (indexes, exception queue, expiry) on its last; a first write counts in the current second's
 * drain counter (KEYS[7]). All keys are the run's partition's (one hash tag, one cluster slot).
 * ARGV[12..] are the step records.
 */
const SAVE_STEP = `
redis.call('RPUSH', KEYS[2], unpack(ARGV, 12))
if ARGV[4] == '1' then
  redis.call('ZREM', KEYS[3], ARGV[6])
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
  redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  redis.call('INCR', KEYS[7])
  redis.call('PEXPIRE', KEYS[7], 30000)
end
redis.call('HSET', KEYS[1], 'checkpoint', ARGV[1], 'stepCount', ARGV[2])
if ARGV[8] ~= '' then
  redis.call('ZREM', KEYS[4], ARGV[6])
  redis.call('ZADD', KEYS[5], ARGV[7], ARGV[6])
  redis.call('HSET', KEYS[1], 'status', ARGV[8], 'endedAt', ARGV[9])
  if ARGV[10] ~= '' then
    redis.call('HSET', KEYS[1], 'failure', ARGV[10])
    if ARGV[11] ~= '1' then
      redis.call('ZADD', KEYS[6], ARGV[9], ARGV[6])
    end
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1`;

/**
 * Intake as one atomic script: accepting a trigger records everything or nothing, the run's
 * BullMQ job included (run-job.ts), so a run is never recorded without the job that runs
 * it. In order it claims the original run of a replay (failed -> replaying, 409 otherwise),
 * checks the queue depth (runs accepted but not started), checks and takes the idempotency key
 * (a key whose run no longer exists is taken over, so a key never points at nothing), adds the
 * job, then writes the run hash and its index entries. A run id that exists already (a trigger
 * that names its run, started again) answers that run.
 *
 * Every key is in the new run's partition (one hash tag, one cluster slot): the run's id places
 * it where its ordering or idempotency key lives, and a replay where the run it replays lives;
 * the partition's run queue shares its prefix.
 *
 * KEYS: 1 dedupe, 2 run, 3 idx:all, 4 idx:flow, 5 idx:queued, 6 original run, 7 exceptions,
 *       8 idx:failed, 9 idx:replaying, 10 ordering queue, 11..19 the job's queue keys
 *       (`runJobKeys`), 20.. idx:key:<value>
 * Answers {'created', run id, the partition's depth before it (-1 unless a max depth is given)}.
 * ARGV: 1 run id, 2 created, 3 retention ms, 4 dedupe window ms ('' = none), 5 max depth
 *       ('' = none), 6 original run id ('' = not a replay), 7 field count, 8 the original's
 *       resolution (JSON), 9 '1' when the run has an ordering key, 10 job key prefix, 11 job
 *       data, 12 job options (JSON), 13 '1' for a prioritized job, 14.. field pairs
 */
const INTAKE = `${RUN_JOB_LUA}
local runId = ARGV[1]
if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate', runId} end
if ARGV[6] ~= '' then
  local st = redis.call('HMGET', KEYS[6], 'status', 'replayedBy')
  if st[1] ~= 'failed' or st[2] then
    return {'not-replayable', st[1] or 'missing', st[2] or ''}
  end
end
local depth = -1
if ARGV[5] ~= '' then
  depth = redis.call('ZCARD', KEYS[5])
  if depth >= tonumber(ARGV[5]) then return {'full', tostring(depth)} end
end
if ARGV[4] ~= '' then
  local holder = redis.call('GET', KEYS[1])
  if holder and redis.call('EXISTS', KEYS[2]:sub(1, #KEYS[2] - #runId) .. holder) == 1 then
    return {'duplicate', holder}
  end
end
local jobKeys = {}
for i = 11, 19 do jobKeys[#jobKeys + 1] = KEYS[i] end
addRunJob(jobKeys, ARGV[10], runId, tonumber(ARGV[2]), ARGV[11], ARGV[12], ARGV[13] == '1')
if ARGV[4] ~= '' then redis.call('SET', KEYS[1], runId, 'PX', ARGV[4]) end
local n = tonumber(ARGV[7])
local fields = {}
for i = 1, n * 2 do fields[i] = ARGV[13 + i] end
redis.call('HSET', KEYS[2], unpack(fields))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], runId)
redis.call('ZADD', KEYS[4], ARGV[2], runId)
redis.call('ZADD', KEYS[5], ARGV[2], runId)
for i = 20, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[2], runId)
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
if ARGV[9] == '1' then
  redis.call('RPUSH', KEYS[10], runId)
  redis.call('PEXPIRE', KEYS[10], ARGV[3])
end
if ARGV[6] ~= '' then
  local created = redis.call('HGET', KEYS[6], 'createdAt')
  local replays = cjson.decode(redis.call('HGET', KEYS[6], 'replays') or '[]')
  replays[#replays + 1] = runId
  redis.call('HSET', KEYS[6], 'status', 'replaying', 'replayedBy', runId,
    'replays', cjson.encode(replays), 'resolution', ARGV[8])
  redis.call('ZREM', KEYS[7], ARGV[6])
  redis.call('ZREM', KEYS[8], ARGV[6])
  redis.call('ZADD', KEYS[9], created, ARGV[6])
end
return {'created', runId, tostring(depth)}`;

/**
 * KEYS: 1 ordering queue. ARGV: 1 run id, 2 run key prefix (of the queue's partition, where every
 * run with this ordering key lives). 1 when the run is at the head (or
 * not in the queue at all: nothing to wait for), 0 while an earlier run is queued or running.
 */
const ORDERING_TURN = `
for _ = 1, 1000 do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head or head == ARGV[1] then return 1 end
  local status = redis.call('HGET', ARGV[2] .. head, 'status')
  if status == 'queued' or status == 'running' then
    if redis.call('LPOS', KEYS[1], ARGV[1]) == false then return 1 end
    return 0
  end
  redis.call('LPOP', KEYS[1])
end
return 0`;

interface SaveStepCommand {
  crossdockSaveStep(...args: (string | number)[]): Promise<number>;
  crossdockIntake(...args: (string | number)[]): Promise<string[]>;
}

const JSON_FIELDS = [
  'trigger',
  'businessKeys',
  'replayOf',
  'replays',
  'failure',
  'resolution',
  'dryRun',
] as const;

function parseRecord(hash: Record<string, string>): RunRecord | undefined {
  if (!hash.id || !hash.flowId || !hash.version || !hash.status) return undefined;
  const record: RunRecord = {
    id: hash.id,
    flowId: hash.flowId,
    version: hash.version,
    status: hash.status as RunStatus,
    trigger: null,
    businessKeys: {},
    correlationId: hash.correlationId ?? hash.id,
    createdAt: new Date(Number(hash.createdAt)).toISOString(),
    stepCount: Number(hash.stepCount ?? 0),
  };
  for (const f of JSON_FIELDS) {
    const raw = hash[f];
    if (raw !== undefined) (record as unknown as Record<string, unknown>)[f] = JSON.parse(raw);
  }
  if (hash.idempotencyKey) record.idempotencyKey = hash.idempotencyKey;
  if (hash.orderingKey !== undefined) record.orderingKey = hash.orderingKey;
  if (hash.replayedBy) record.replayedBy = hash.replayedBy;
  if (hash.startedAt) record.startedAt = new Date(Number(hash.startedAt)).toISOString();
  if (hash.endedAt) record.endedAt = new Date(Number(hash.endedAt)).toISOString();
  if (hash.test === '1') record.test = true;
  if (hash.awaitsReply === '1') record.awaitsReply = true;
  return record;
}

/**
 * Runs and their traces on Redis: a hash per run (trace header, checkpoint, raw input), a list of
 * step records, and sorted-set indexes by time, flow, status, business key and exception.
 */
export class RunStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: Keys,
    private readonly redactor: Redactor,
    private readonly retentionMs: number,
    private readonly traceMaxBytes: number,
  ) {
    redis.defineCommand('crossdockSaveStep', { numberOfKeys: 7, lua: SAVE_STEP });
    redis.defineCommand('crossdockIntake', { lua: INTAKE });
  }

  private get scripts(): SaveStepCommand {
    return this.redis as unknown as SaveStepCommand;
  }

  /** The redacted text of a payload for the trace, truncated when over the limit. */
  private payload(value: JsonValue, text = this.redactor.stringify(value)): string {
    return text.length <= this.traceMaxBytes
      ? text
      : this.redactor.stringify(truncate(value, this.traceMaxBytes));
  }

  /**
   * Serializes a new run's hash. Throws (a `RangeError` for a payload nested too deep to
   * serialize) before anything reaches Redis.
   */
  serialize(run: NewRun, resolution?: RunResolution): SerializedRun {
    const { record } = run;
    const created = Date.parse(record.createdAt);
    // The trigger and the raw input are one payload on intake: serialized once, and stored
    // once unless the trace's copy had to be truncated (`internals` falls back to `trigger`).
    const texts = new TraceText(this.redactor, this.traceMaxBytes);
    const input = texts.payloadText(run.input);
    const trigger =
      record.trigger === run.input ? this.payload(run.input, input) : this.payload(record.trigger);
    const fields: Record<string, string> = {
      id: record.id,
      flowId: record.flowId,
      version: record.version,
      status: 'queued',
      correlationId: record.correlationId,
      createdAt: String(created),
      stepCount: '0',
      trigger,
      businessKeys: JSON.stringify(record.businessKeys),
      // Stored redacted like the trace: a resumed or replayed step sees `[redacted]` where a
      // secret-named field or a secret value was (docs/security-runtime.md).
      checkpoint: texts.checkpoint(run.checkpoint),
      stepKeyBase: run.stepKeyBase,
    };
    if (trigger !== input) fields.input = input;
    if (record.idempotencyKey) fields.idempotencyKey = record.idempotencyKey;
    if (record.orderingKey !== undefined) fields.orderingKey = record.orderingKey;
    if (record.test) fields.test = '1';
    if (record.dryRun) fields.dryRun = JSON.stringify(record.dryRun);
    if (record.replayOf) fields.replayOf = JSON.stringify(record.replayOf);
    if (record.awaitsReply) fields.awaitsReply = '1';
    return {
      id: record.id,
      flowId: record.flowId,
      created,
      fields: Object.entries(fields).flat(),
      businessKeys: [...new Set(Object.values(record.businessKeys))],
      ...(run.dedupe ? { dedupe: run.dedupe } : {}),
      ...(run.maxDepth !== undefined ? { maxDepth: run.maxDepth } : {}),
      ...(record.replayOf ? { replayOf: record.replayOf.runId } : {}),
      ...(resolution ? { resolution: JSON.stringify(resolution) } : {}),
      ...(record.orderingKey !== undefined ? { orderingKey: record.orderingKey } : {}),
      ...(run.priority !== undefined ? { priority: run.priority } : {}),
    };
  }

  /**
   * Records a serialized run, its indexes, its idempotency key and its BullMQ job in one atomic
   * script (see INTAKE), or nothing at all.
   */
  async intake(run: SerializedRun): Promise<IntakeResult> {
    const k = this.keys.forRun(run.id);
    const original = run.replayOf ?? run.id;
    if (run.replayOf !== undefined && this.keys.partitionOf(run.replayOf) !== k.index) {
      throw new Error(`Replay ${run.id} is not in the partition of ${run.replayOf}.`);
    }
    const job = runJobArgs(k.prefix, run.id, run.priority);
    const reply = await this.scripts.crossdockIntake(
      10 + RUN_JOB_KEY_COUNT + run.businessKeys.length,
      k.dedupe(run.flowId, run.dedupe?.key ?? ''),
      k.runPrefix + run.id,
      k.all,
      k.byFlow(run.flowId),
      k.byStatus('queued'),
      k.runPrefix + original,
      k.exceptions,
      k.byStatus('failed'),
      k.byStatus('replaying'),
      k.ordering(run.flowId, run.orderingKey ?? ''),
      ...runJobKeys(k.prefix, run.priority),
      ...run.businessKeys.map((v) => k.byKey(v)),
      run.id,
      run.created,
      this.retentionMs,
      run.dedupe ? run.dedupe.windowMs : '',
      run.maxDepth !== undefined ? this.depthPerPartition(run.maxDepth) : '',
      run.replayOf ?? '',
      run.fields.length / 2,
      run.resolution ?? '',
      run.orderingKey !== undefined ? '1' : '',
      job.prefix,
      job.data,
      job.opts,
      isPrioritized(run.priority) ? '1' : '',
      ...run.fields,
    );
    const [kind, a, b] = reply;
    if (kind === 'duplicate') return { kind, runId: String(a) };
    if (kind === 'full') return { kind, depth: Number(a) };
    if (kind === 'not-replayable') {
      return { kind, status: String(a), ...(b ? { replayedBy: String(b) } : {}) };
    }
    const waiting = Number(b);
    return { kind: 'created', ...(waiting >= 0 ? { waiting } : {}) };
  }

  /**
   * Each partition's share of the depth limit: intake checks its own partition's waiting runs
   * in the same script that records the run (a check across partitions could not be atomic).
   */
  private depthPerPartition(maxDepth: number): number {
    return Math.ceil(maxDepth / this.keys.count);
  }

  /** Runs started per second over the last 10 seconds (what Retry-After is computed from). */
  async drainRate(now: number): Promise<number> {
    const second = Math.floor(now / 1000);
    const counts = await Promise.all(
      this.keys.partitions.map((k) =>
        // One MGET per partition: a multi-key command stays in one slot.
        this.redis.mget(...Array.from({ length: 10 }, (_, i) => k.drain(second - 1 - i))),
      ),
    );
    return counts.flat().reduce((sum, c) => sum + Number(c ?? 0), 0) / 10;
  }

  /** Runs accepted and not started yet: the depth back-pressure compares with its limit. */
  async waitingCount(): Promise<number> {
    const counts = await Promise.all(
      this.keys.partitions.map((k) => this.redis.zcard(k.byStatus('queued'))),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    const [
      id,
      flowId,
      version,
      status,
      correlationId,
      createdAt,
      checkpoint,
      stepKeyBase,
      test,
      dryRun,
      orderingKey,
      awaitsReply,
    ] = await this.redis.hmget(
      this.keys.run(runId),
      'id',
      'flowId',
      'version',
      'status',
      'correlationId',
      'createdAt',
      'checkpoint',
      'stepKeyBase',
      'test',
      'dryRun',
      'orderingKey',
      'awaitsReply',
    );
    if (!id || !flowId || !version || !status || !checkpoint) return undefined;
    return {
      id,
      flowId,
      version,
      status: status as RunStatus,
      correlationId: correlationId ?? id,
      createdAt: Number(createdAt),
      checkpoint: JSON.parse(checkpoint) as RunCheckpoint,
      stepKeyBase: stepKeyBase ?? id,
      ...(test === '1' ? { test: true } : {}),
      ...(dryRun ? { dryRun: JSON.parse(dryRun) as RunRecord['dryRun'] } : {}),
      ...(orderingKey !== null ? { orderingKey } : {}),
      ...(awaitsReply === '1' ? { awaitsReply: true as const } : {}),
    };
  }

  /**
   * Whether it is `run`'s turn under its ordering key: no run accepted before it with the same
   * key is still queued or running. Runs ahead of it that ended (or expired) leave the queue
   * here, so a worker that died after a run ended cannot block the key.
   */
  async orderingTurn(run: { id: string; flowId: string; orderingKey: string }): Promise<boolean> {
    const k = this.keys.forRun(run.id);
    const turn = await this.redis.eval(
      ORDERING_TURN,
      1,
      k.ordering(run.flowId, run.orderingKey),
      run.id,
      k.runPrefix,
    );
    return turn === 1;
  }

  /**
   * The durable checkpoint: appends the step records (at least one, in order) and saves the
   * checkpoint after the last in one atomic script, moving the run to running on its first
   * write and to its end status on its last.
   */
  async saveSteps(
    run: LoadedRun,
    steps: readonly StepRecord[],
    cp: RunCheckpoint,
    end: { status: 'succeeded' } | { status: 'failed'; failure: RunFailure } | undefined,
    now: number,
    /** Kept across one worker's checkpoints of the run: inputs stored by reference. */
    origins?: PayloadOrigins,
  ): Promise<void> {
    const [firstStep] = steps;
    if (!firstStep) throw new Error('A checkpoint is saved with at least one step.');
    const k = this.keys.forRun(run.id);
    const first = run.status === 'queued';
    const endStatus = end?.status ?? '';
    const failure = end?.status === 'failed' ? this.redactor.stringify(end.failure) : '';
    const texts = new TraceText(this.redactor, this.traceMaxBytes, origins);
    const records = steps.map((s) => texts.step(s));
    await this.scripts.crossdockSaveStep(
      this.keys.run(run.id),
      this.keys.steps(run.id),
      k.byStatus('queued'),
      k.byStatus('running'),
      k.byStatus(end?.status ?? 'running'),
      k.exceptions,
      k.drain(Math.floor(now / 1000)),
      texts.checkpoint(cp),
      cp.steps,
      this.retentionMs,
      first ? '1' : '0',
      Date.parse(firstStep.startedAt),
      run.id,
      run.createdAt,
      endStatus,
      now,
      failure,
      run.test ? '1' : '0',
      ...records,
    );
    if (first) run.status = 'running';
    if (end) run.status = end.status;
  }

  /** One step and the checkpoint after it (see `saveSteps`). */
  saveStep(
    run: LoadedRun,
    step: StepRecord,
    cp: RunCheckpoint,
    end: { status: 'succeeded' } | { status: 'failed'; failure: RunFailure } | undefined,
    now: number,
  ): Promise<void> {
    return this.saveSteps(run, [step], cp, end, now);
  }

  async get(runId: string): Promise<RunWithSteps | undefined> {
    const [[, hash], [, steps]] = (await this.redis
      .multi()
      .hgetall(this.keys.run(runId))
      .lrange(this.keys.steps(runId), 0, -1)
      .exec()) as [[null, Record<string, string>], [null, string[]]];
    const record = parseRecord(hash);
    if (!record) return undefined;
    if (steps.length === 0 && hash[DEFLATED_STEPS] !== undefined) {
      // Binary: read again as bytes (the string reply above is not).
      const deflated = await this.redis.hgetBuffer(this.keys.run(runId), DEFLATED_STEPS);
      if (deflated) return { ...record, steps: resolveInputs(inflateSteps(deflated)) };
    }
    return { ...record, steps: resolveInputs(steps.map((s) => JSON.parse(s) as StepRecord)) };
  }

  async record(runId: string): Promise<RunRecord | undefined> {
    return parseRecord(await this.redis.hgetall(this.keys.run(runId)));
  }

  /** Raw trigger payload and checkpoint of a run (for replays). */
  async internals(
    runId: string,
  ): Promise<{ input: JsonValue; checkpoint: RunCheckpoint; stepKeyBase: string } | undefined> {
    const [raw, trigger, checkpoint, stepKeyBase] = await this.redis.hmget(
      this.keys.run(runId),
      'input',
      'trigger',
      'checkpoint',
      'stepKeyBase',
    );
    const input = raw ?? trigger;
    if (!input || !checkpoint) return undefined;
    return {
      input: JSON.parse(input) as JsonValue,
      checkpoint: JSON.parse(checkpoint) as RunCheckpoint,
      stepKeyBase: stepKeyBase ?? runId,
    };
  }

  /**
   * Ids of an index newest first from `offset`, at most `count`. One partition: the index's own
   * order. More: the first `offset + count` of each partition's index, merged by score and then
   * id (Redis's own order for equal scores), so an offset walks one merged order.
   */
  private async newestFirst(
    index: (k: PartitionKeys) => string,
    max: string,
    min: string,
    offset: number,
    count: number,
  ): Promise<string[]> {
    const [only] = this.keys.partitions;
    if (only && this.keys.count === 1) {
      return this.redis.zrevrangebyscore(index(only), max, min, 'LIMIT', offset, count);
    }
    const rows = await Promise.all(
      this.keys.partitions.map((k) =>
        this.redis.zrevrangebyscore(index(k), max, min, 'WITHSCORES', 'LIMIT', 0, offset + count),
      ),
    );
    const merged: { id: string; score: number }[] = [];
    for (const row of rows) {
      for (let i = 0; i < row.length; i += 2) {
        merged.push({ id: row[i] as string, score: Number(row[i + 1]) });
      }
    }
    merged.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return merged.slice(offset, offset + count).map((e) => e.id);
  }

  /** The run hashes of `ids` in order, one MULTI per partition (a MULTI stays in one slot). */
  private async hashes(ids: readonly string[]): Promise<Record<string, string>[]> {
    const byPartition = new Map<number, number[]>();
    ids.forEach((id, i) => {
      const p = this.keys.partitionOf(id);
      byPartition.set(p, [...(byPartition.get(p) ?? []), i]);
    });
    const out: Record<string, string>[] = ids.map(() => ({}));
    await Promise.all(
      [...byPartition.values()].map(async (positions) => {
        const m = this.redis.multi();
        for (const i of positions) m.hgetall(this.keys.run(ids[i] as string));
        const rows = (await m.exec()) ?? [];
        positions.forEach((at, j) => {
          out[at] = (rows[j]?.[1] ?? {}) as Record<string, string>;
        });
      }),
    );
    return out;
  }

  /**
   * Runs newest first, through the most selective index (of every partition, merged), with an
   * offset cursor.
   */
  async list(filter: RunFilter): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    const index = (k: PartitionKeys): string =>
      filter.key !== undefined
        ? k.byKey(filter.key)
        : filter.status !== undefined
          ? k.byStatus(filter.status)
          : filter.flow !== undefined
            ? k.byFlow(filter.flow)
            : k.all;
    const max = filter.to !== undefined ? String(filter.to) : '+inf';
    const min = filter.from !== undefined ? String(filter.from) : '-inf';
    const runs: RunRecord[] = [];
    let offset = filter.cursor ?? 0;
    const batch = Math.max(filter.limit, 50);
    for (;;) {
      const ids = await this.newestFirst(index, max, min, offset, batch);
      if (ids.length === 0) return { runs, nextCursor: null };
      const hashes = await this.hashes(ids);
      for (let i = 0; i < ids.length; i++) {
        offset += 1;
        const record = parseRecord(hashes[i] ?? {});
        if (!record) continue;
        if (filter.flow !== undefined && record.flowId !== filter.flow) continue;
        if (filter.status !== undefined && record.status !== filter.status) continue;
        runs.push(record);
        if (runs.length === filter.limit) {
          return {
            runs,
            nextCursor: i === ids.length - 1 && ids.length < batch ? null : String(offset),
          };
        }
      }
      if (ids.length < batch) return { runs, nextCursor: null };
    }
  }

  /** Failed runs nobody has replayed or discarded yet, newest first (every partition's). */
  async exceptions(
    limit: number,
    cursor = 0,
  ): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    const ids = await this.newestFirst((k) => k.exceptions, '+inf', '-inf', cursor, limit);
    const hashes = ids.length > 0 ? await this.hashes(ids) : [];
    const runs = hashes.map((h) => parseRecord(h)).filter((r): r is RunRecord => r !== undefined);
    return { runs, nextCursor: ids.length === limit ? String(cursor + limit) : null };
  }

  /** Closes an exception: the run is discarded, or links to the run that replays it. */
  async resolve(run: RunRecord, resolution: RunResolution): Promise<void> {
    const k = this.keys.forRun(run.id);
    const created = Date.parse(run.createdAt);
    const m = this.redis.multi();
    m.zrem(k.exceptions, run.id);
    const fields: Record<string, string> = { resolution: JSON.stringify(resolution) };
    if (resolution.action === 'discarded') {
      fields.status = 'discarded';
      fields.endedAt = String(Date.parse(resolution.at));
      m.zrem(k.byStatus(run.status), run.id);
      m.zadd(k.byStatus('discarded'), created, run.id);
    }
    if (resolution.action === 'replayed' && resolution.runId) {
      fields.replays = JSON.stringify([...(run.replays ?? []), resolution.runId]);
    }
    m.hset(this.keys.run(run.id), fields);
    await m.exec();
  }

  /** Drops index entries older than the retention (their runs have expired), per partition. */
  async trimIndexes(now: number): Promise<void> {
    const cutoff = String(now - this.retentionMs);
    const flows = await this.redis.smembers(this.keys.flowIds);
    await Promise.all(
      this.keys.partitions.map(async (k) => {
        const m = this.redis.multi();
        for (const key of [
          k.all,
          k.exceptions,
          ...RUN_STATUSES.map((s) => k.byStatus(s)),
          ...flows.map((f) => k.byFlow(f)),
        ]) {
          m.zremrangebyscore(key, '-inf', `(${cutoff}`);
        }
        await m.exec();
      }),
    );
  }
}
