import type { JsonValue } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { ReadCache } from '../store/read-cache';
import type { PairComparison, PairOutcome } from './compare';
import { fieldName } from './compare';

/** A shadow: version B of a flow dual-running beside the version that was active at its start. */
export interface Shadow {
  id: string;
  flowId: string;
  /** The candidate's version number as its file says. */
  version: string;
  /** The version id its runs pin (`<version>+shadow.<hash>` when it was sent as a document). */
  deployedVersion: string;
  /** Content hash of the candidate: promotion counts a shadow only for the same content. */
  hash: string;
  /** The version whose runs it mirrors. */
  activeVersion: string;
  /** Share of the active version's runs mirrored (0..1). */
  sample: number;
  /** ISO time after which no new run is mirrored. */
  until?: string;
  /** Shadow node id -> active node id, for nodes renamed between the versions. */
  mapping: Record<string, string>;
  /** Fields left out of the comparison (see `CompareOptions.ignore`). */
  ignore: string[];
  status: 'running' | 'stopped';
  startedAt: string;
  startedBy: string;
  stoppedAt?: string;
  stoppedBy?: string;
}

/** A differing pair kept as an example of one field. */
export interface ShadowExample {
  businessKeys: Record<string, string>;
  aRunId: string;
  bRunId: string;
  field: string;
  a: JsonValue;
  b: JsonValue;
}

/** A differing field, how often it differed, and a few examples. */
export interface RankedField {
  field: string;
  count: number;
  examples: ShadowExample[];
}

/** One compared pair as the report lists it. */
export interface ComparedPair extends PairComparison {
  businessKeys: Record<string, string>;
  aRunId: string;
  bRunId: string;
  aStatus: string;
  bStatus: string;
  at: string;
}

export const OUTCOMES: readonly PairOutcome[] = [
  'identical',
  'differing',
  'only-in-a',
  'only-in-b',
];
const EXAMPLES_PER_FIELD = 5;

/**
 * Shadows and their comparison results on Redis, under the runtime's prefix (so under its hash
 * tag): the shadow records, the mirrored runs, counts per outcome overall and per minute, the
 * differing fields ranked, a few examples per field, and every pair that was not identical.
 */
export class ShadowStore {
  private readonly p: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /**
     * The running shadows are read on every run: kept in the flows' read cache, dropped by the
     * same announcement (`changed`, sent after a shadow starts or stops).
     */
    private readonly shared?: { cache: ReadCache; changed(): Promise<void> },
  ) {
    this.p = `${prefix}:cd:shadow`;
  }

  private k(id: string, part: string): string {
    return `${this.p}:${id}:${part}`;
  }

  async save(shadow: Shadow): Promise<void> {
    const m = this.redis.multi();
    m.hset(`${this.p}s`, shadow.id, JSON.stringify(shadow));
    if (shadow.status === 'running') m.sadd(`${this.p}s:running:${shadow.flowId}`, shadow.id);
    else m.srem(`${this.p}s:running:${shadow.flowId}`, shadow.id);
    await m.exec();
    await this.shared?.changed();
  }

  async get(id: string): Promise<Shadow | undefined> {
    const raw = await this.redis.hget(`${this.p}s`, id);
    return raw ? (JSON.parse(raw) as Shadow) : undefined;
  }

  /** Every shadow of a flow, newest first. */
  async list(flowId: string): Promise<Shadow[]> {
    const all = Object.values(await this.redis.hgetall(`${this.p}s`)).map(
      (raw) => JSON.parse(raw) as Shadow,
    );
    return all
      .filter((s) => s.flowId === flowId)
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  }

  /** The running shadows of a flow (read on every run of it, so kept to one small set). */
  running(flowId: string): Promise<Shadow[]> {
    const read = () => this.readRunning(flowId);
    return this.shared ? this.shared.cache.read(`shadows:running:${flowId}`, read) : read();
  }

  private async readRunning(flowId: string): Promise<Shadow[]> {
    const ids = await this.redis.smembers(`${this.p}s:running:${flowId}`);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(`${this.p}s`, ...ids);
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Shadow);
  }

  /** Claims an active run for the shadow; false when it was mirrored already (a repeated end). */
  async claimRun(id: string, aRunId: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.k(id, 'runs'), aRunId, '')) === 1;
  }

  async mirrored(id: string, aRunId: string, bRunId: string): Promise<void> {
    await this.redis.hset(this.k(id, 'runs'), aRunId, bRunId);
  }

  /** Records one comparison once (a repeated end of the shadow run is not counted again). */
  async record(id: string, pair: ComparedPair, minute: string): Promise<boolean> {
    if ((await this.redis.hsetnx(this.k(id, 'done'), pair.bRunId, pair.outcome)) === 0)
      return false;
    const m = this.redis.multi();
    m.hincrby(this.k(id, 'counts'), pair.outcome, 1);
    m.hincrby(this.k(id, 'time'), `${minute}|${pair.outcome}`, 1);
    const fields = new Set(pair.differences.map((d) => fieldName(d.field)));
    for (const field of fields) {
      m.zincrby(this.k(id, 'fields'), 1, field);
      const d = pair.differences.find((x) => fieldName(x.field) === field);
      m.rpush(
        this.k(id, `ex:${field}`),
        JSON.stringify({
          businessKeys: pair.businessKeys,
          aRunId: pair.aRunId,
          bRunId: pair.bRunId,
          field: d?.field,
          a: d?.a ?? null,
          b: d?.b ?? null,
        }),
      );
      m.ltrim(this.k(id, `ex:${field}`), 0, EXAMPLES_PER_FIELD - 1);
    }
    if (pair.outcome !== 'identical')
      m.hset(this.k(id, 'diffs'), pair.bRunId, JSON.stringify(pair));
    await m.exec();
    return true;
  }

  async counts(id: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.k(id, 'counts'));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async mirroredCount(id: string): Promise<number> {
    return this.redis.hlen(this.k(id, 'runs'));
  }

  /** Counts per minute (`{minute: {outcome: n}}`), oldest first. */
  async timeline(id: string): Promise<{ at: string; counts: Record<string, number> }[]> {
    const raw = await this.redis.hgetall(this.k(id, 'time'));
    const byMinute = new Map<string, Record<string, number>>();
    for (const [key, n] of Object.entries(raw)) {
      const [at = '', outcome = ''] = key.split('|');
      const row = byMinute.get(at) ?? {};
      row[outcome] = Number(n);
      byMinute.set(at, row);
    }
    return [...byMinute.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([at, counts]) => ({ at, counts }));
  }

  /** Differing fields, most frequent first, with a few examples each. */
  async fields(id: string): Promise<RankedField[]> {
    const ranked = await this.redis.zrevrange(this.k(id, 'fields'), 0, 49, 'WITHSCORES');
    const out: RankedField[] = [];
    for (let i = 0; i < ranked.length; i += 2) {
      const field = ranked[i] as string;
      const examples = await this.redis.lrange(this.k(id, `ex:${field}`), 0, -1);
      out.push({
        field,
        count: Number(ranked[i + 1]),
        // Written by `record` above in this shape.
        examples: examples.map((e) => JSON.parse(e) as ShadowExample),
      });
    }
    return out;
  }

  /** Every pair that was not identical (for the report's list and for tests). */
  async differences(id: string): Promise<ComparedPair[]> {
    const raw = await this.redis.hvals(this.k(id, 'diffs'));
    return raw.map((r) => JSON.parse(r) as ComparedPair).sort((a, b) => (a.at < b.at ? -1 : 1));
  }
}
