import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/** What the runtime knows about a loss of Redis data it saw happen. */
export interface DataLoss {
  detectedAt: string;
  /** The epoch the process knew, and what Redis held instead (null: nothing). */
  expected: string;
  found: string | null;
  /** True once deployed flows are back (from the flow files in development). */
  restored: boolean;
  /** The flows the restore deployed again. */
  restoredFlows: string[];
  /** What an operator has to do, when the runtime could not restore by itself. */
  action?: string;
}

/**
 * The epoch marker: a random id the first process writes under the prefix and every process
 * remembers. Redis restarted without persistence (or flushed, or evicting) loses the marker
 * with everything else; the next check sees it gone or changed and reports the loss once,
 * writes a new epoch, and runs `restore` (deploy the flows again where the environment allows).
 */
export class RedisEpoch {
  private known: string | undefined;
  private loss: DataLoss | undefined;
  private checking: Promise<DataLoss | undefined> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Joins the current epoch, creating it in an empty Redis. */
  async start(): Promise<void> {
    const fresh = randomUUID();
    await this.redis.set(this.key, fresh, 'NX');
    this.known = (await this.redis.get(this.key)) ?? fresh;
  }

  /** The loss seen so far, if any. */
  state(): DataLoss | undefined {
    return this.loss;
  }

  /**
   * Compares Redis's epoch with the one this process knows; on a change, reports the loss,
   * writes a new epoch and restores. Concurrent callers share one check.
   */
  check(
    restore?: () => Promise<{ flows: string[]; action?: string }>,
  ): Promise<DataLoss | undefined> {
    this.checking ??= this.compare(restore).finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async compare(
    restore?: () => Promise<{ flows: string[]; action?: string }>,
  ): Promise<DataLoss | undefined> {
    if (this.known === undefined) {
      await this.start();
      return this.loss;
    }
    const found = await this.redis.get(this.key);
    if (found === this.known) return this.loss;
    const loss: DataLoss = {
      detectedAt: new Date(this.now()).toISOString(),
      expected: this.known,
      found,
      restored: false,
      restoredFlows: [],
    };
    this.loss = loss;
    // A new epoch, so the next loss is told apart from this one (and another process that
    // already wrote one is joined, not overwritten).
    await this.redis.set(this.key, randomUUID(), 'NX');
    this.known = (await this.redis.get(this.key)) ?? this.known;
    this.log.error(
      { expectedEpoch: loss.expected, foundEpoch: found },
      'Redis lost its data (the epoch marker is gone): runs, traces, idempotency keys, queued jobs and deployed flows recorded before now are lost. Check Redis persistence (appendonly yes) and maxmemory-policy noeviction.',
    );
    if (restore) {
      try {
        const restored = await restore();
        loss.restoredFlows = restored.flows;
        if (restored.action) loss.action = restored.action;
        else loss.restored = true;
        this.log.warn({ flows: restored.flows }, 'deployed flows restored after the data loss');
      } catch (error) {
        loss.action = `Restoring the flows failed: ${(error as Error).message}`;
        this.log.error({ err: error }, 'restoring the flows after the data loss failed');
      }
    } else {
      loss.action = 'Deploy or promote the flows again; then restart the runtime.';
    }
    return loss;
  }
}

/** Redis persistence settings: a warning when neither AOF nor RDB snapshots are on. */
export async function persistenceWarning(redis: Redis): Promise<string | undefined> {
  try {
    const aof = ((await redis.call('CONFIG', 'GET', 'appendonly')) as string[])[1];
    const save = ((await redis.call('CONFIG', 'GET', 'save')) as string[])[1];
    if (aof === 'yes') return undefined;
    if (save && save.trim() !== '') {
      return 'Redis persists by RDB snapshots only: a crash loses the writes since the last snapshot. Set appendonly yes (appendfsync everysec).';
    }
    return 'Redis has no persistence (appendonly no, no save points): a restart loses every run, idempotency key and deployed flow. Set appendonly yes.';
  } catch {
    return 'Redis persistence is unknown (CONFIG GET is not allowed); make sure appendonly is yes.';
  }
}
