import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

/** What the runtime knows about a loss of Redis data it saw happen. */
export interface DataLoss {
  detectedAt: string;
  /** The global epoch the process knew, and what Redis held instead (null: nothing). */
  expected: string;
  found: string | null;
  /** Whether the global data (deployed flows, webhooks, promotions, connections) was lost. */
  global: boolean;
  /** The run-data partitions whose data was lost (their markers gone), in order. */
  partitions: number[];
  /** True once deployed flows are back (from the flow files in development). */
  restored: boolean;
  /** The flows the restore deployed again. */
  restoredFlows: string[];
  /** What an operator has to do, when the runtime could not restore by itself. */
  action?: string;
}

/** Where the markers live: the global one, and one per partition of run data. */
export interface EpochKeys {
  global: string;
  /** Each partition's marker, by partition index (the global key itself with one partition). */
  partitions: readonly string[];
}

type Restore = () => Promise<{ flows: string[]; action?: string }>;

/** The one-line account of a loss, for `/readyz` and the log. */
export function describeLoss(loss: DataLoss): string {
  const which = `partition${loss.partitions.length === 1 ? '' : 's'} ${loss.partitions.join(', ')}`;
  const text = loss.global
    ? `Redis lost its data (detected ${loss.detectedAt}): runs, idempotency keys and deployed flows recorded before are gone${loss.partitions.length > 0 ? ` (run data of ${which} too)` : ''}.`
    : `Redis lost the run data of ${which} (detected ${loss.detectedAt}): their runs, idempotency keys and queued jobs recorded before are gone; deployed flows are intact.`;
  return `${text} ${loss.action ?? ''}`.trim();
}

/**
 * The epoch markers: random ids the first process writes under the prefix (global data) and
 * under each partition's hash tag (run data; on a Redis Cluster each lives on the master that
 * holds its partition), which every process remembers. A Redis or a cluster master restarted
 * without persistence (or flushed, or evicting) loses its markers with everything else; the
 * next check sees them gone or changed and reports the loss once, writes new epochs, and runs
 * `restore` (deploy the flows again where the environment allows) when the global data went.
 */
export class RedisEpoch {
  /** Marker keys: the global one first, then the partitions' (none with one partition). */
  private readonly markers: { key: string; partition?: number }[];
  private known: string[] | undefined;
  private loss: DataLoss | undefined;
  private checking: Promise<DataLoss | undefined> | undefined;

  constructor(
    private readonly redis: Redis,
    keys: EpochKeys,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.markers = [
      { key: keys.global },
      ...keys.partitions
        .map((key, partition) => ({ key, partition }))
        .filter((m) => m.key !== keys.global),
    ];
  }

  /** Joins the current epochs, creating the missing ones. */
  async start(): Promise<void> {
    this.known = await this.join(this.markers.map((m) => m.key));
  }

  /**
   * Writes a fresh marker where there is none and reads what each holds (another process may
   * have written it first: that one is joined, not overwritten). The commands of all markers
   * go out at once, so the cost is one round trip to each master.
   */
  private join(keys: string[]): Promise<string[]> {
    return Promise.all(
      keys.map(async (key) => {
        const fresh = randomUUID();
        await this.redis.set(key, fresh, 'NX');
        return (await this.redis.get(key)) ?? fresh;
      }),
    );
  }

  /** The loss seen so far, if any. */
  state(): DataLoss | undefined {
    return this.loss;
  }

  /**
   * Compares Redis's epochs with the ones this process knows; on a change, reports the loss,
   * writes new epochs and restores. Concurrent callers share one check.
   */
  check(restore?: Restore): Promise<DataLoss | undefined> {
    this.checking ??= this.compare(restore).finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async compare(restore?: Restore): Promise<DataLoss | undefined> {
    const known = this.known;
    if (known === undefined) {
      await this.start();
      return this.loss;
    }
    const found = await Promise.all(this.markers.map((m) => this.redis.get(m.key)));
    const gone = this.markers
      .map((marker, at) => ({ ...marker, at }))
      .filter((m) => found[m.at] !== known[m.at]);
    if (gone.length === 0) return this.loss;
    const globalLost = gone.some((m) => m.partition === undefined);
    const lostPartitions = gone.flatMap((m) => (m.partition === undefined ? [] : [m.partition]));
    // New epochs, so the next loss is told apart from this one.
    const renewed = await this.join(gone.map((m) => m.key));
    const next = [...known];
    gone.forEach((m, n) => {
      next[m.at] = renewed[n] ?? '';
    });
    this.known = next;

    // A loss not yet recovered from stays reported; a later one adds to it.
    const open = this.loss && !this.loss.restored ? this.loss : undefined;
    const loss: DataLoss = {
      detectedAt: open?.detectedAt ?? new Date(this.now()).toISOString(),
      expected: open?.expected ?? known[0] ?? '',
      found: open?.found ?? found[0] ?? null,
      global: globalLost || (open?.global ?? false),
      partitions: [...new Set([...(open?.partitions ?? []), ...lostPartitions])].sort(
        (a, b) => a - b,
      ),
      restored: false,
      restoredFlows: open?.restoredFlows ?? [],
      ...(open?.action ? { action: open.action } : {}),
    };
    this.loss = loss;
    if (globalLost) {
      this.log.error(
        { expectedEpoch: known[0], foundEpoch: found[0], lostPartitions },
        `Redis lost its data (the epoch marker is gone): runs, traces, idempotency keys, queued jobs and deployed flows recorded before now are lost${lostPartitions.length > 0 ? ` (run data of partitions ${lostPartitions.join(', ')} too)` : ''}. Check Redis persistence (appendonly yes) and maxmemory-policy noeviction.`,
      );
    } else {
      this.log.error(
        { lostPartitions },
        `Redis lost its data in partitions ${lostPartitions.join(', ')} (their epoch markers are gone: the master holding them restarted empty or was flushed): their runs, traces, idempotency keys and queued jobs recorded before now are lost; deployed flows are intact. Check persistence (appendonly yes) on every master.`,
      );
    }
    if (!loss.global) {
      // Nothing to restore: the runs are gone, and redeliveries of orders they held would run
      // again. Deliveries wait (503) until an operator has looked and restarted the runtime.
      loss.action =
        'Re-sent orders of these partitions would run again: check with the senders what was in flight, then restart the runtime.';
    } else if (globalLost) {
      await this.restore(loss, restore);
    }
    // (A global loss reported before keeps its restore result or the operator's action.)
    return loss;
  }

  private async restore(loss: DataLoss, restore: Restore | undefined): Promise<void> {
    if (!restore) {
      loss.action = 'Deploy or promote the flows again; then restart the runtime.';
      return;
    }
    try {
      const restored = await restore();
      loss.restoredFlows = restored.flows;
      if (restored.action) loss.action = restored.action;
      else {
        loss.restored = true;
        delete loss.action;
      }
      this.log.warn({ flows: restored.flows }, 'deployed flows restored after the data loss');
    } catch (error) {
      loss.action = `Restoring the flows failed: ${(error as Error).message}`;
      this.log.error({ err: error }, 'restoring the flows after the data loss failed');
    }
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
