import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeExecutor } from '@crossdock/nodes';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ContextDeps } from '../context/node-context';
import { createNodeContext, type DryRunStep } from '../context/node-context';
import { nodeTimeoutMs } from '../engine/interpreter-settings';
import { runLoop } from '../engine/run-loop';
import type { Logger } from '../infra/logger';
import type { RuntimeMetrics } from '../infra/metrics';
import type { FlowStore } from '../store/flow-store';
import type { RunStore } from '../store/run-store';
import { parseRunJob, RUN_QUEUE, type RunJobData } from './run-queue';

export interface RunWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  lockMs: number;
  nodeTimeoutMs: number;
  inlineWaitMs: number;
  flows: FlowStore;
  runs: RunStore;
  executors: Readonly<Record<string, NodeExecutor>>;
  context: ContextDeps;
  metrics: RuntimeMetrics;
  log: Logger;
  now(): number;
  random(): number;
}

export interface RunWorker {
  worker: Worker<RunJobData>;
  /** Stops taking work; in-flight steps finish and their runs go back to the queue. */
  close(graceMs: number): Promise<boolean>;
}

/**
 * The BullMQ adapter: one job per run. The processor loads the run's checkpoint and runs its
 * steps in process, each saved durably; a long wait or a shutdown hands the job back to the
 * queue (delayed), and a killed worker's job is recovered by BullMQ's stalled-job check.
 */
export function startRunWorker(options: RunWorkerOptions): RunWorker {
  let stopping = false;
  const { flows, runs, metrics, log } = options;

  async function process(job: Job<RunJobData>, token?: string): Promise<string> {
    const { runId } = parseRunJob(job.data);
    const run = await runs.load(runId);
    if (!run) {
      log.warn({ runId }, 'run job without a run record (expired?); dropped');
      return 'missing';
    }
    if (run.status !== 'queued' && run.status !== 'running') return run.status;
    const plan = await flows.plan(run.flowId, run.version);
    if (!plan) throw new Error(`Flow ${run.flowId}@${run.version} is not deployed.`);
    const flow = plan.flow;
    const runTimeout = flow.settings.runTimeoutMs;
    // Safe test run: what each side-effecting step would have sent, by message, node and attempt.
    const notSent = new Map<string, DryRunStep['notSent']>();
    const stepKey = (messageId: string, nodeId: string, attempt: number) =>
      `${messageId}\u0000${nodeId}\u0000${attempt}`;
    const outcome = await runLoop(run.checkpoint, {
      plan,
      executors: options.executors,
      makeContext: (args) => {
        const manifest = plan.manifests.get(args.node.id);
        if (!run.dryRun || !manifest?.sideEffects) {
          return createNodeContext(options.context, run, manifest?.defaults ?? {}, args);
        }
        const dry: DryRunStep = { answer: run.dryRun.answers[args.node.id], notSent: [] };
        notSent.set(stepKey(args.message.id, args.node.id, args.message.attempt), dry.notSent);
        return createNodeContext(options.context, run, manifest.defaults, args, dry);
      },
      persist: async (recorded, cp, end) => {
        const key = stepKey(recorded.messageId, recorded.nodeId, recorded.attempt);
        const sent = notSent.get(key);
        notSent.delete(key);
        const step = sent && sent.length > 0 ? { ...recorded, notSent: sent } : recorded;
        await runs.saveStep(run, step, cp, end, options.now());
        metrics.stepSeconds.observe(
          { node_type: step.nodeType, status: step.status },
          step.durationMs / 1000,
        );
        if (step.status === 'retrying')
          metrics.retries.inc({ flow: flow.id, node_type: step.nodeType });
        if (end) {
          metrics.runs.inc({ flow: flow.id, status: end.status });
          if (end.status === 'failed') {
            metrics.deadLetters.inc({ flow: flow.id });
            log.warn(
              {
                runId,
                correlationId: run.correlationId,
                flowId: flow.id,
                nodeId: end.failure.nodeId,
                error: end.failure.error,
              },
              'run failed into the exception queue',
            );
          }
        }
      },
      now: options.now,
      random: options.random,
      nodeTimeoutMs: (node) => nodeTimeoutMs(flow, node, options.nodeTimeoutMs),
      maxInlineWaitMs: options.inlineWaitMs,
      sleep: (ms) => sleep(ms),
      stopping: () => stopping,
      ...(runTimeout !== undefined ? { deadline: run.createdAt + runTimeout } : {}),
    });
    if (outcome.kind === 'wait' || outcome.kind === 'yield') {
      const until = outcome.kind === 'wait' ? outcome.until : options.now();
      await job.moveToDelayed(until, token);
      throw new DelayedError();
    }
    return outcome.kind;
  }

  const worker = new Worker<RunJobData>(RUN_QUEUE, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    maxStalledCount: 100,
  });
  worker.on('error', (error) => log.error({ err: error }, 'worker error'));
  worker.on('failed', (job, error) => log.error({ runId: job?.id, err: error }, 'run job failed'));

  return {
    worker,
    async close(graceMs) {
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const closed = worker.close().then(() => true);
      try {
        return await Promise.race([closed, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
