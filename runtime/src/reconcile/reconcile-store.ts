import type { Redis } from 'ioredis';
import type { Decision, ReconciliationRun } from './reconcile-types';

/** The reconciliation keys, beside the runtime's under the same prefix (and hash tag). */
export function reconcileKeys(prefix: string) {
  const p = `${prefix}:cd:recon`;
  return {
    /** Run ids of a stream, scored by start time; trimmed to the newest runs kept. */
    runs: (id: string) => `${p}:${id}:runs`,
    run: (id: string, runId: string) => `${p}:${id}:run:${runId}`,
    /** Every decision, newest first. */
    audit: (id: string) => `${p}:${id}:audit`,
    /** The latest decision per business key. */
    decisions: (id: string) => `${p}:${id}:decisions`,
    /** Held while a run reads and compares: one run of a stream at a time across workers. */
    lock: (id: string) => `${p}:${id}:lock`,
  };
}

function parse<T>(text: string | null | undefined): T | undefined {
  return text ? (JSON.parse(text) as T) : undefined;
}

/** Runs, decisions and the audit of reconciliation streams in Redis, bounded in count and age. */
export class ReconcileStore {
  readonly k: ReturnType<typeof reconcileKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly retentionMs: number,
    /** Runs kept per stream (the trend's length). */
    private readonly keepRuns: number,
    /** Decisions kept per stream in the audit. */
    private readonly keepAudit = 10_000,
  ) {
    this.k = reconcileKeys(prefix);
  }

  /** Takes the stream's run lock; false when another run holds it. */
  async lock(id: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.k.lock(id), token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(id: string, token: string): Promise<void> {
    // Only the holder releases: a run that outlived its lock must not free the next one's.
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
      1,
      this.k.lock(id),
      token,
    );
  }

  async saveRun(run: ReconciliationRun): Promise<void> {
    const id = run.reconciliation;
    await this.redis
      .multi()
      .set(this.k.run(id, run.id), JSON.stringify(run), 'PX', this.retentionMs)
      .zadd(this.k.runs(id), Date.parse(run.startedAt), run.id)
      .exec();
    const dropped = await this.redis.zrange(this.k.runs(id), 0, -(this.keepRuns + 1));
    if (dropped.length > 0) {
      await this.redis
        .multi()
        .zrem(this.k.runs(id), ...dropped)
        .del(...dropped.map((r) => this.k.run(id, r)))
        .exec();
    }
  }

  /** The newest runs first, at most `limit`, without the ones past retention. */
  async runs(id: string, limit: number): Promise<ReconciliationRun[]> {
    const ids = await this.redis.zrevrange(this.k.runs(id), 0, limit - 1);
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(...ids.map((r) => this.k.run(id, r)));
    return texts.map((t) => parse<ReconciliationRun>(t)).filter((r) => r !== undefined);
  }

  async run(id: string, runId: string): Promise<ReconciliationRun | undefined> {
    return parse<ReconciliationRun>(await this.redis.get(this.k.run(id, runId)));
  }

  async decide(decision: Decision): Promise<void> {
    const id = decision.reconciliation;
    await this.redis
      .multi()
      .lpush(this.k.audit(id), JSON.stringify(decision))
      .ltrim(this.k.audit(id), 0, this.keepAudit - 1)
      .hset(this.k.decisions(id), decision.key, JSON.stringify(decision))
      .exec();
  }

  async audit(id: string, limit: number): Promise<Decision[]> {
    const texts = await this.redis.lrange(this.k.audit(id), 0, limit - 1);
    return texts.map((t) => JSON.parse(t) as Decision);
  }

  /** The latest decision of each of these keys. */
  async decisions(id: string, keys: readonly string[]): Promise<Map<string, Decision>> {
    if (keys.length === 0) return new Map();
    const texts = await this.redis.hmget(this.k.decisions(id), ...keys);
    const out = new Map<string, Decision>();
    texts.forEach((t, i) => {
      const d = parse<Decision>(t);
      const key = keys[i];
      if (d && key !== undefined) out.set(key, d);
    });
    return out;
  }
}
