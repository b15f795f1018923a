import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import { reportQueueErrors } from '../infra/redis-health';
import type { RunService } from '../service/run-service';

export const SCHEDULE_QUEUE = 'schedules';

interface FireData {
  flowId: string;
  nodeId: string;
}

function schedulerId(flowId: string): string {
  return `flow:${flowId}`;
}

/** A schedule trigger of the active version, as its manifest's activation declares it. */
export interface ScheduleSpec {
  nodeId: string;
  cron: string;
  timeZone: string;
}

/**
 * Schedule triggers as BullMQ job schedulers: one per flow, following the active version, so
 * every worker process shares one clock in Redis and a schedule fires once however many run.
 */
export class Schedules {
  readonly queue: Queue<FireData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<FireData>(SCHEDULE_QUEUE, { connection, prefix });
  }

  /** Registers, changes or removes the flow's scheduler to match the version now active. */
  async follow(flowId: string, schedule: ScheduleSpec | undefined): Promise<void> {
    if (!schedule) {
      await this.queue.removeJobScheduler(schedulerId(flowId));
      return;
    }
    await this.queue.upsertJobScheduler(
      schedulerId(flowId),
      { pattern: schedule.cron, tz: schedule.timeZone },
      { name: 'fire', data: { flowId, nodeId: schedule.nodeId } },
    );
  }

  /**
   * Stops firing the flow's schedule until its next activation (development: a flow whose
   * database is not reachable is not scheduled, instead of failing at every firing).
   */
  async unfollow(flowId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(flowId));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Starts a run for each firing; the payload says when it was due, for the run's trace. */
export function startScheduleWorker(options: {
  connection: Redis;
  prefix: string;
  service: RunService;
  log: Logger;
}): Worker<FireData> {
  const worker = new Worker<FireData>(
    SCHEDULE_QUEUE,
    async (job: Job<FireData>) => {
      const due = new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString();
      const started = await options.service.start({
        flowId: job.data.flowId,
        triggerNodeId: job.data.nodeId,
        payload: { firedAt: due },
      });
      return started.runId;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  reportQueueErrors(worker, options.log, 'schedule worker');
  worker.on('failed', (job, error) => {
    options.log.error(
      { flowId: job?.data.flowId, err: error.message },
      'scheduled run could not start',
    );
  });
  return worker;
}
