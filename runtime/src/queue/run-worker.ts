import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { type NodeExecutor, PermanentError } from '@crossdock/nodes';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ContextDeps } from '../context/node-context';
import { createNodeContext, type DryRunStep } from '../context/node-context';
import { pickNext } from '../engine/interpreter';
import { nodeTimeoutMs } from '../engine/interpreter-settings';
import { runLoop } from '../engine/run-loop';
import type { RunStatus, StepRecord } from '../engine/run-types';
import type { Logger } from '../infra/logger';
import type { RuntimeMetrics } from '../infra/metrics';
import { isConnectionError } from '../infra/redis-health';
import type { FlowStore } from '../store/flow-store';
import type { LoadedRun, RunStore } from '../store/run-store';
import { parseRunJob, RUN_QUEUE, type RunJobData } from './run-queue';

export interface RunWorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  lockMs: number;
  nodeTimeoutMs: number;
  inlineWaitMs: number;
  /** Stalls (its worker died) after which a run fails as `worker-crashed` instead of running again. */
  maxStalls: number;
  flows: FlowStore;
  runs: RunStore;
  executors: Readonly<Record<string, NodeExecutor>>;
  context: ContextDeps;
  metrics: RuntimeMetrics;
  log: Logger;
  now(): number;
  random(): number;
  /** Called after each durable step (the control tower); must not throw. */
  observe?(
    run: { id: string; flowId: string; createdAt: number },
    step: StepRecord,
    end: { status: RunStatus } | undefined,
  ): Promise<void>;
  /** Tells a webhook caller still waiting for the run's answer that the run ended without one. */
  replies?: { ended(runId: string): Promise<void> };
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
  const shutdown = new AbortController();
  // Every step in flight listens to it (concurrency of them at once), and removes its listener.
  setMaxListeners(0, shutdown.signal);
  const { flows, runs, metrics, log } = options;

  /**
   * Fails a run whose worker died on it again and again (a poison message: a step that runs the
   * process out of memory, say) instead of handing it to the next worker to crash. The step in
   * flight is recorded as failed and stays pending, so the run can be replayed from it.
   */
  async function failCrashed(run: LoadedRun, stalls: number): Promise<void> {
    const now = options.now();
    const cp = run.checkpoint;
    // The message the loop would pick now is the one whose step was in flight when it died.
    const pick = pickNext(cp, now);
    const message = pick.kind === 'run' ? cp.pending[pick.index] : cp.pending[0];
    const plan = await flows.plan(run.flowId, run.version);
    const node = message ? plan?.nodes.get(message.nodeId) : undefined;
    const where = node ? `node "${node.name}" (${node.id})` : 'this run';
    const error = new PermanentError(
      'worker-crashed',
      `The worker running ${where} stopped ${stalls} times without finishing (killed or out of memory); the run was stopped so it cannot take down more workers. Replay it once the cause is fixed, or discard it.`,
      { details: { stalls } },
    ).toJSON();
    const at = new Date(now).toISOString();
    const failure = {
      nodeId: node?.id ?? message?.nodeId ?? '',
      nodeType: node?.type ?? '',
      messageId: message?.id ?? '',
      error,
      at,
    };
    cp.steps += 1;
    await runs.saveStep(
      run,
      {
        index: cp.steps - 1,
        nodeId: failure.nodeId,
        nodeType: failure.nodeType,
        messageId: failure.messageId,
        attempt: message?.attempt ?? 1,
        startedAt: at,
        endedAt: at,
        durationMs: 0,
        inputPort: message?.port ?? 'in',
        input: message?.payload ?? null,
        status: 'failed',
        ports: [],
        error,
      },
      cp,
      { status: 'failed', failure },
      now,
    );
    metrics.runs.inc({ flow: run.flowId, status: 'failed' });
    metrics.deadLetters.inc({ flow: run.flowId });
    log.error(
      { runId: run.id, correlationId: run.correlationId, flowId: run.flowId, stalls },
      'run failed into the exception queue: its worker kept dying (worker-crashed)',
    );
  }

  async function process(job: Job<RunJobData>, token?: string): Promise<string> {
    const { runId } = parseRunJob(job.data);
    const run = await runs.load(runId);
    if (!run) {
      log.warn({ runId }, 'run job without a run record (expired?); dropped');
      return 'missing';
    }
    if (run.status !== 'queued' && run.status !== 'running') return run.status;
    const stalls = job.stalledCounter ?? 0;
    if (stalls >= options.maxStalls) {
      await failCrashed(run, stalls);
      return 'failed';
    }
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
        // Only after the step is durable: a milestone never precedes its trace.
        if (options.observe) await options.observe(run, step, end);
        metrics.stepSeconds.observe(
          { node_type: step.nodeType, status: step.status },
          step.durationMs / 1000,
        );
        if (step.status === 'retrying')
          metrics.retries.inc({ flow: flow.id, node_type: step.nodeType });
        if (end) {
          // Best effort: a caller that misses it gets its 202 at its timeout instead.
          if (run.awaitsReply && options.replies)
            await options.replies
              .ended(run.id)
              .catch((err: unknown) => log.warn({ err, runId }, 'could not end a webhook wait'));
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
      shutdown: shutdown.signal,
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
    // One more than ours: the processor sees the count first and records `worker-crashed`;
    // BullMQ's own limit is the backstop (handled in 'failed' below).
    maxStalledCount: options.maxStalls + 1,
  });
  // Redis being down is reported once by RedisHealth; the worker's copy of it would repeat it.
  worker.on('error', (error) => {
    if (!isConnectionError(error)) log.error({ err: error }, 'worker error');
  });
  worker.on('failed', (job, error) => {
    log.error({ runId: job?.id, err: error }, 'run job failed');
    if (!job || !/stalled more than allowable limit/.test(error.message)) return;
    void (async () => {
      const run = await runs.load(parseRunJob(job.data).runId);
      if (run && (run.status === 'queued' || run.status === 'running')) {
        await failCrashed(run, job.stalledCounter ?? options.maxStalls + 1);
      }
    })().catch((err: unknown) => log.error({ err }, 'could not record a worker-crashed run'));
  });

  return {
    worker,
    async close(graceMs) {
      stopping = true;
      const closed = worker.close().then(() => true);
      // Steps in flight get most of the grace to finish; then they are aborted and their runs
      // handed back to the queue (delayed, due now), which needs the rest.
      const handBackMs = Math.min(1_000, Math.floor(graceMs / 4));
      const timers: NodeJS.Timeout[] = [];
      const after = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));
      try {
        return await Promise.race([
          closed,
          new Promise<boolean>((resolve) => {
            after(graceMs - handBackMs, () => {
              if (stopping) {
                log.warn({ graceMs }, 'shutdown grace ending: aborting steps in flight');
                shutdown.abort();
              }
            });
            after(graceMs, () => resolve(false));
          }),
        ]);
      } finally {
        for (const t of timers) clearTimeout(t);
      }
    },
  };
}
