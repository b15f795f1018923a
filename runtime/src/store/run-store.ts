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
import type { Keys } from './keys';

/** What a worker needs to continue a run. */
export interface LoadedRun {
  id: string;
  flowId: string;
  version: string;
  status: RunStatus;
  correlationId: string;
  createdAt: number;
  checkpoint: RunCheckpoint;
  /** Test runs never enter the exception queue. */
  test?: boolean;
  dryRun?: RunRecord['dryRun'];
}

export interface NewRun {
  record: RunRecord;
  checkpoint: RunCheckpoint;
  /** Raw trigger payload (kept out of the trace; used by a replay from the start). */
  input: JsonValue;
  dedupe?: { key: string; windowMs: number };
}

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
 * The durable step as one atomic script (one round trip, one command for Redis to parse):
 * append the step record, save the checkpoint, move the run to running on its first step and
 * to its end status (indexes, exception queue, expiry) on its last. All keys share the hash tag.
 */
const SAVE_STEP = `
redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[5] == '1' then
  redis.call('ZREM', KEYS[3], ARGV[7])
  redis.call('ZADD', KEYS[4], ARGV[8], ARGV[7])
  redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
redis.call('HSET', KEYS[1], 'checkpoint', ARGV[2], 'stepCount', ARGV[3])
if ARGV[9] ~= '' then
  redis.call('ZREM', KEYS[4], ARGV[7])
  redis.call('ZADD', KEYS[5], ARGV[8], ARGV[7])
  redis.call('HSET', KEYS[1], 'status', ARGV[9], 'endedAt', ARGV[10])
  if ARGV[11] ~= '' then
    redis.call('HSET', KEYS[1], 'failure', ARGV[11])
    if ARGV[12] ~= '1' then
      redis.call('ZADD', KEYS[6], ARGV[10], ARGV[7])
    end
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
return 1`;

interface SaveStepCommand {
  crossdockSaveStep(...args: (string | number)[]): Promise<number>;
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
  if (hash.startedAt) record.startedAt = new Date(Number(hash.startedAt)).toISOString();
  if (hash.endedAt) record.endedAt = new Date(Number(hash.endedAt)).toISOString();
  if (hash.test === '1') record.test = true;
  return record;
}

/**
 * Runs and their traces on Redis: a hash per run (trace header, checkpoint, raw input), a list of
 * step records, and sorted-set indexes by time, flow, status, business key and exception.
 */
export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly redactor: Redactor,
    private readonly retentionMs: number,
    private readonly traceMaxBytes: number,
  ) {
    redis.defineCommand('crossdockSaveStep', { numberOfKeys: 6, lua: SAVE_STEP });
  }

  private payload(value: JsonValue): string {
    return this.redactor.stringify(truncate(value, this.traceMaxBytes));
  }

  /** The run id already started under this idempotency key, if any (and reserves it if not). */
  async reserve(
    dedupe: { key: string; windowMs: number },
    runId: string,
    flowId: string,
  ): Promise<string | undefined> {
    const key = this.keys.dedupe(flowId, dedupe.key);
    const ok = await this.redis.set(key, runId, 'PX', dedupe.windowMs, 'NX');
    if (ok === 'OK') return undefined;
    return (await this.redis.get(key)) ?? undefined;
  }

  /** Writes a new run (status queued) and its index entries in one transaction. */
  async create(run: NewRun): Promise<void> {
    const { record } = run;
    const created = Date.parse(record.createdAt);
    const k = this.keys;
    const fields: Record<string, string> = {
      id: record.id,
      flowId: record.flowId,
      version: record.version,
      status: 'queued',
      correlationId: record.correlationId,
      createdAt: String(created),
      stepCount: '0',
      trigger: this.payload(record.trigger),
      businessKeys: JSON.stringify(record.businessKeys),
      checkpoint: JSON.stringify(run.checkpoint),
      input: JSON.stringify(run.input),
    };
    if (record.idempotencyKey) fields.idempotencyKey = record.idempotencyKey;
    if (record.test) fields.test = '1';
    if (record.dryRun) fields.dryRun = JSON.stringify(record.dryRun);
    if (record.replayOf) fields.replayOf = JSON.stringify(record.replayOf);
    const m = this.redis.multi();
    m.hset(k.run(record.id), fields);
    m.pexpire(k.run(record.id), this.retentionMs);
    m.zadd(k.all, created, record.id);
    m.zadd(k.byFlow(record.flowId), created, record.id);
    m.zadd(k.byStatus('queued'), created, record.id);
    for (const value of new Set(Object.values(record.businessKeys))) {
      m.zadd(k.byKey(value), created, record.id);
      m.pexpire(k.byKey(value), this.retentionMs);
    }
    await m.exec();
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    const [id, flowId, version, status, correlationId, createdAt, checkpoint, test, dryRun] =
      await this.redis.hmget(
        this.keys.run(runId),
        'id',
        'flowId',
        'version',
        'status',
        'correlationId',
        'createdAt',
        'checkpoint',
        'test',
        'dryRun',
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
      ...(test === '1' ? { test: true } : {}),
      ...(dryRun ? { dryRun: JSON.parse(dryRun) as RunRecord['dryRun'] } : {}),
    };
  }

  /**
   * The durable step: appends the step record and saves the checkpoint after it in one
   * transaction, moving the run to running on its first step and to its end status on its last.
   */
  async saveStep(
    run: LoadedRun,
    step: StepRecord,
    cp: RunCheckpoint,
    end: { status: 'succeeded' } | { status: 'failed'; failure: RunFailure } | undefined,
    now: number,
  ): Promise<void> {
    const k = this.keys;
    let text = this.redactor.stringify(step);
    if (text.length > this.traceMaxBytes) {
      // Only a large step pays for measuring each payload.
      const max = this.traceMaxBytes;
      text = this.redactor.stringify({
        ...step,
        input: truncate(step.input, max) ?? null,
        ...(step.output
          ? {
              output: step.output.map((e) => ({ ...e, payload: truncate(e.payload, max) ?? null })),
            }
          : {}),
      });
    }
    const first = run.status === 'queued';
    const endStatus = end?.status ?? '';
    const failure = end?.status === 'failed' ? this.redactor.stringify(end.failure) : '';
    await (this.redis as unknown as SaveStepCommand).crossdockSaveStep(
      k.run(run.id),
      k.steps(run.id),
      k.byStatus('queued'),
      k.byStatus('running'),
      k.byStatus(end?.status ?? 'running'),
      k.exceptions,
      text,
      JSON.stringify(cp),
      cp.steps,
      this.retentionMs,
      first ? '1' : '0',
      Date.parse(step.startedAt),
      run.id,
      run.createdAt,
      endStatus,
      now,
      failure,
      run.test ? '1' : '0',
    );
    if (first) run.status = 'running';
    if (end) run.status = end.status;
  }

  async get(runId: string): Promise<RunWithSteps | undefined> {
    const [[, hash], [, steps]] = (await this.redis
      .multi()
      .hgetall(this.keys.run(runId))
      .lrange(this.keys.steps(runId), 0, -1)
      .exec()) as [[null, Record<string, string>], [null, string[]]];
    const record = parseRecord(hash);
    if (!record) return undefined;
    return { ...record, steps: steps.map((s) => JSON.parse(s) as StepRecord) };
  }

  async record(runId: string): Promise<RunRecord | undefined> {
    return parseRecord(await this.redis.hgetall(this.keys.run(runId)));
  }

  /** Raw trigger payload and checkpoint of a run (for replays). */
  async internals(
    runId: string,
  ): Promise<{ input: JsonValue; checkpoint: RunCheckpoint } | undefined> {
    const [input, checkpoint] = await this.redis.hmget(this.keys.run(runId), 'input', 'checkpoint');
    if (!input || !checkpoint) return undefined;
    return {
      input: JSON.parse(input) as JsonValue,
      checkpoint: JSON.parse(checkpoint) as RunCheckpoint,
    };
  }

  /** Runs newest first, through the most selective index, with an offset cursor. */
  async list(filter: RunFilter): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    const k = this.keys;
    const index =
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
      const ids = await this.redis.zrevrangebyscore(index, max, min, 'LIMIT', offset, batch);
      if (ids.length === 0) return { runs, nextCursor: null };
      const m = this.redis.multi();
      for (const id of ids) m.hgetall(k.run(id));
      const hashes = (await m.exec()) ?? [];
      for (let i = 0; i < ids.length; i++) {
        offset += 1;
        const record = parseRecord((hashes[i]?.[1] ?? {}) as Record<string, string>);
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

  /** Failed runs nobody has replayed or discarded yet, newest first. */
  async exceptions(
    limit: number,
    cursor = 0,
  ): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
    const ids = await this.redis.zrevrange(this.keys.exceptions, cursor, cursor + limit - 1);
    const m = this.redis.multi();
    for (const id of ids) m.hgetall(this.keys.run(id));
    const hashes = ids.length > 0 ? ((await m.exec()) ?? []) : [];
    const runs = hashes
      .map((h) => parseRecord((h[1] ?? {}) as Record<string, string>))
      .filter((r): r is RunRecord => r !== undefined);
    return { runs, nextCursor: ids.length === limit ? String(cursor + limit) : null };
  }

  /** Closes an exception: the run is discarded, or links to the run that replays it. */
  async resolve(run: RunRecord, resolution: RunResolution): Promise<void> {
    const k = this.keys;
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
    m.hset(k.run(run.id), fields);
    await m.exec();
  }

  /** Drops index entries older than the retention (their runs have expired). */
  async trimIndexes(now: number): Promise<void> {
    const k = this.keys;
    const cutoff = String(now - this.retentionMs);
    const flows = await this.redis.smembers(k.flowIds);
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
  }
}
