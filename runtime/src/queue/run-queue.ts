import { type JobState, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';
import { RUN_QUEUE } from '../store/run-job';

/** What a run job carries: only the id (payloads and secrets stay out of job data). */
export interface RunJobData {
  runId: string;
}

export function parseRunJob(data: unknown): RunJobData {
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { runId?: unknown }).runId === 'string'
  ) {
    return { runId: (data as { runId: string }).runId };
  }
  throw new Error('A run job must carry {"runId": string}.');
}

export function createRunQueue(connection: Redis, prefix: string): Queue<RunJobData> {
  return new Queue<RunJobData>(RUN_QUEUE, { connection, prefix });
}

/** The run queues of every partition; a run's job goes to its partition's queue. */
export interface RunQueues {
  all: readonly Queue<RunJobData>[];
  forRun(runId: string): Queue<RunJobData>;
  forPartition(index: number): Queue<RunJobData>;
  /** Job counts summed over the partitions (by default those `queueCounts` reads). */
  counts(...states: JobState[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function createRunQueues(connection: Redis, keys: Keys): RunQueues {
  const all = keys.partitions.map((k) => createRunQueue(connection, k.prefix));
  return {
    all,
    forRun: (runId) => all[keys.partitionOf(runId)] as Queue<RunJobData>,
    forPartition(index) {
      const queue = all[index];
      if (!queue) throw new RangeError(`No run queue of partition ${index}.`);
      return queue;
    },
    async counts(...states) {
      const total: Record<string, number> = {};
      const read = (q: Queue<RunJobData>) =>
        states.length > 0 ? q.getJobCounts(...states) : queueCounts(q);
      for (const counts of await Promise.all(all.map(read))) {
        for (const [state, n] of Object.entries(counts)) total[state] = (total[state] ?? 0) + n;
      }
      return total;
    },
    async close() {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}

/** Jobs waiting, running and delayed: the depth back-pressure and metrics look at. */
export async function queueCounts(queue: Queue<RunJobData>): Promise<Record<string, number>> {
  return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
}
