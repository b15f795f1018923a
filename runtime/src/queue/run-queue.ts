import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The one BullMQ queue of runs: one job per run (not per step), id = run id. */
export const RUN_QUEUE = 'runs';

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

/** Adds a run's job; BullMQ ignores a second add under the same job id. */
export async function enqueueRun(
  queue: Queue<RunJobData>,
  runId: string,
  priority: number | undefined,
): Promise<void> {
  await queue.add(
    'run',
    { runId },
    {
      jobId: runId,
      ...(priority !== undefined ? { priority } : {}),
      removeOnComplete: true,
      removeOnFail: 1000,
      // Node failures are the run's business (traces, exception queue); a job only fails on an
      // infrastructure error (Redis gone mid-step), and then it is retried from the checkpoint.
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
    },
  );
}

/** Jobs waiting, running and delayed: the depth back-pressure and metrics look at. */
export async function queueCounts(queue: Queue<RunJobData>): Promise<Record<string, number>> {
  return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
}
