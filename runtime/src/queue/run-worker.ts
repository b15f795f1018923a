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
import type { FaultPoints } from '../infra/fault-points';
import type { Logger } from '../infra/logger';
import type { RuntimeMetrics } from '../infra/metrics';
import { isConnectionError } from '../infra/redis-health';
import type { Shadow } from '../shadow/shadow-store';
import { type Shadows, shadowAnswerer } from '../shadow/shadows';
import type { FlowStore } from '../store/flow-store';
import { RUN_QUEUE } from '../store/run-job';
import type { LoadedRun, RunStore } from '../store/run-store';
import type { PayloadOrigins } from '../store/trace-text';
import { lockMoveRunId } from './lock-moves';
import { parseRunJob, type RunJobData } from './run-queue';

export interface RunWorkerOptions {
  connection: Redis;
  /** One run queue per partition (its prefix): a worker consumes every one. */
  prefixes: readonly string[];
  /** Runs in flight at once in this process, shared out over the partitions' queues. */
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
  /**
   * The old rule: a checkpoint after every step. By default pure steps' records wait for the
   * next checkpoint (before and after side-effecting steps, and at the end).
   */
  checkpointEveryStep?: boolean;
  faults?: FaultPoints;
  /** Dual runs: active runs a shadow watches are recorded, mirrored and compared. */
  shadows?: Shadows;
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
  /** One BullMQ worker per partition queue. */
  workers: readonly Worker<RunJobData>[];
  /** Stops taking work; in-flight steps finish and their runs go back to the queue. */
  close(graceMs: number): Promise<boolean>;
}

/** How often a run waiting behind an earlier run with its ordering key looks again. */
const ORDERING_POLL_MS = 200;

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

  /** The shadows mirroring this run; a shadow's trouble never holds up the run it watches. */
  async function shadowsWatching(run: LoadedRun): Promise<Shadow[]> {
    if (!options.shadows) return [];
    try {
      return await options.shadows.watching(run.flowId, run.version);
    } catch (error) {
      log.error({ runId: run.id, err: error }, 'shadows not read; the run goes on unmirrored');
      return [];
    }
  }

  /** A dual run's part of a run's end; a shadow's trouble never fails the run it watches. */
  async function afterEnd(run: LoadedRun, watchers: readonly Shadow[]): Promise<void> {
    const { shadows } = options;
    if (!shadows) return;
    try {
      if (watchers.length > 0) await shadows.afterActiveRun(run.id, watchers);
      const link = run.dryRun?.shadow;
      if (link) await shadows.afterShadowRun(run.id, link);
    } catch (error) {
      log.error({ runId: run.id, err: error }, 'shadow bookkeeping failed after a run ended');
    }
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
    if (run.orderingKey !== undefined) {
      const { orderingKey } = run;
      if (!(await runs.orderingTurn({ id: run.id, flowId: run.flowId, orderingKey }))) {
        // An earlier run with the same ordering key has not ended: wait outside any slot.
        await job.moveToDelayed(options.now() + ORDERING_POLL_MS * (1 + options.random()), token);
        throw new DelayedError();
      }
    }
    const plan = await flows.plan(run.flowId, run.version);
    if (!plan) throw new Error(`Flow ${run.flowId}@${run.version} is not deployed.`);
    const flow = plan.flow;
    const runTimeout = flow.settings.runTimeoutMs;
    // Safe test run: what each side-effecting step would have sent, by message, node and attempt;
    // on an active run a shadow watches, what each one sent and received.
    const dryByStep = new Map<string, DryRunStep>();
    const stepKey = (messageId: string, nodeId: string, attempt: number) =>
      `${messageId}\u0000${nodeId}\u0000${attempt}`;
    const watchers = !run.test && !run.dryRun ? await shadowsWatching(run) : [];
    const shadowAnswers = run.dryRun?.shadow ? shadowAnswerer(run.dryRun.shadow) : undefined;
    const origins: PayloadOrigins = new Map();
    const outcome = await runLoop(run.checkpoint, {
      plan,
      executors: options.executors,
      makeContext: (args) => {
        const manifest = plan.manifests.get(args.node.id);
        if (!manifest?.sideEffects || (!run.dryRun && watchers.length === 0)) {
          return createNodeContext(options.context, run, manifest?.defaults ?? {}, args);
        }
        const nodeId = args.node.id;
        const dry: DryRunStep = !run.dryRun
          ? { answer: undefined, notSent: [], record: [] }
          : shadowAnswers
            ? { answer: undefined, notSent: [], next: () => shadowAnswers(nodeId) }
            : { answer: run.dryRun.answers[nodeId], notSent: [] };
        dryByStep.set(stepKey(args.message.id, nodeId, args.message.attempt), dry);
        return createNodeContext(options.context, run, manifest.defaults, args, dry);
      },
      persist: async (recorded, cp, end) => {
        const steps = recorded.map((r) => {
          const key = stepKey(r.messageId, r.nodeId, r.attempt);
          const dry = dryByStep.get(key);
          dryByStep.delete(key);
          return dry?.record && dry.record.length > 0
            ? { ...r, sent: dry.record }
            : dry && dry.notSent.length > 0
              ? { ...r, notSent: dry.notSent }
              : r;
        });
        await runs.saveSteps(run, steps, cp, end, options.now(), origins);
        for (const [i, step] of steps.entries()) {
          const last = i === steps.length - 1;
          // Only after the step is durable: a milestone never precedes its trace.
          if (options.observe) await options.observe(run, step, last ? end : undefined);
          metrics.stepSeconds.observe(
            { node_type: step.nodeType, status: step.status },
            step.durationMs / 1000,
          );
          if (step.status === 'retrying')
            metrics.retries.inc({ flow: flow.id, node_type: step.nodeType });
          const connection = flow.nodes.find((n) => n.id === step.nodeId)?.config.connection;
          if (step.error && typeof connection === 'string')
            metrics.connectionFailures.inc({
              connection,
              error_class: step.error.errorClass,
              code: step.error.code,
            });
        }
        if (end) await afterEnd(run, watchers);
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
      ...(options.checkpointEveryStep
        ? {}
        : { sideEffects: (node) => plan.manifests.get(node.id)?.sideEffects !== false }),
      ...(options.faults ? { fault: options.faults } : {}),
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

  // A BullMQ worker takes one queue: one per partition, each with its share of the concurrency
  // (runs spread evenly over partitions by hash, so the shares fill alike).
  const share = Math.max(1, Math.ceil(options.concurrency / options.prefixes.length));
  const workers = options.prefixes.map((prefix) => {
    const worker = new Worker<RunJobData>(RUN_QUEUE, process, {
      connection: options.connection,
      prefix,
      concurrency: share,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // One more than ours: the processor sees the count first and records `worker-crashed`;
      // BullMQ's own limit is the backstop (handled in 'failed' below).
      maxStalledCount: options.maxStalls + 1,
    });
    listen(worker);
    return worker;
  });

  function listen(worker: Worker<RunJobData>): void {
    // Redis being down is reported once by RedisHealth; the worker's copy of it would repeat it.
    worker.on('error', (error) => {
      if (isConnectionError(error)) return;
      const moved = lockMoveRunId(error);
      if (moved !== undefined) {
        void runs
          .record(moved)
          .catch(() => undefined)
          .then((run) =>
            log.info(
              { runId: moved, correlationId: run?.correlationId, reason: error.message },
              'run taken over by another worker (its lock moved); this worker lets it go',
            ),
          );
        return;
      }
      log.error({ err: error }, 'worker error');
    });
    worker.on('failed', (job, error) => {
      const runId = job?.id;
      void (async () => {
        // The run has left this worker by now: its correlation id comes from its record.
        const correlationId =
          runId === undefined ? undefined : (await runs.record(runId))?.correlationId;
        if (lockMoveRunId(error) !== undefined) {
          log.info(
            { runId, correlationId, reason: error.message },
            'run taken over by another worker (its lock moved); this worker lets it go',
          );
        } else {
          log.error({ runId, correlationId, err: error }, 'run job failed');
        }
      })().catch(() => log.error({ runId, err: error }, 'run job failed'));
      if (!job || !/stalled more than allowable limit/.test(error.message)) return;
      void (async () => {
        const run = await runs.load(parseRunJob(job.data).runId);
        if (run && (run.status === 'queued' || run.status === 'running')) {
          await failCrashed(run, job.stalledCounter ?? options.maxStalls + 1);
        }
      })().catch((err: unknown) => log.error({ err }, 'could not record a worker-crashed run'));
    });
  }

  return {
    workers,
    async close(graceMs) {
      stopping = true;
      const closed = Promise.all(workers.map((w) => w.close())).then(() => true);
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
