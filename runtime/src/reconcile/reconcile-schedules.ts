import type { ReconciliationDocument } from '@crossdock/nodes';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { reportQueueErrors } from '../infra/redis-health';
import type { Reconciler } from './reconciler';

export const RECONCILE_QUEUE = 'reconciliations';

interface FireData {
  reconciliation: string;
}

function schedulerId(id: string): string {
  return `reconcile:${id}`;
}

/**
 * Each stream's cron as a BullMQ job scheduler, like schedule triggers: one clock in Redis, so
 * a stream runs once per tick however many workers there are.
 */
export class ReconcileSchedules {
  readonly queue: Queue<FireData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<FireData>(RECONCILE_QUEUE, { connection, prefix });
  }

  /** Registers every stream's schedule and removes those of streams no longer declared. */
  async follow(docs: readonly ReconciliationDocument[]): Promise<void> {
    const wanted = new Set(docs.map((d) => schedulerId(d.id)));
    for (const existing of await this.queue.getJobSchedulers()) {
      if (existing.key && !wanted.has(existing.key))
        await this.queue.removeJobScheduler(existing.key);
    }
    for (const doc of docs) {
      await this.queue.upsertJobScheduler(
        schedulerId(doc.id),
        { pattern: doc.schedule.cron, tz: doc.schedule.timeZone ?? 'UTC' },
        { name: 'reconcile', data: { reconciliation: doc.id } },
      );
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Runs a stream at each firing; a run already under way makes the firing a no-op. */
export function startReconcileWorker(options: {
  connection: Redis;
  prefix: string;
  reconciler: Reconciler;
  log: Logger;
}): Worker<FireData> {
  const worker = new Worker<FireData>(
    RECONCILE_QUEUE,
    async (job: Job<FireData>) => {
      const run = await options.reconciler.run(job.data.reconciliation, 'schedule');
      return run.id;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  reportQueueErrors(worker, options.log, 'reconciliation worker');
  worker.on('failed', (job, error) => {
    options.log.warn(
      { reconciliation: job?.data.reconciliation, err: error.message },
      'scheduled reconciliation did not run',
    );
  });
  return worker;
}
