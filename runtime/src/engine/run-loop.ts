import {
  type FlowNode,
  type JsonValue,
  type NodeContext,
  type NodeExecutor,
  type NodeResult,
  PermanentError,
  type SerializedError,
  serializeError,
  TransientError,
} from '@crossdock/nodes';
import { addTimer, applyFailure, applySuccess, type FlowPlan, pickNext } from './interpreter';
import type { PendingMessage, RunCheckpoint, RunFailure, StepRecord } from './run-types';

/** How a run ended, written with the last step. */
export type RunEnd = { status: 'succeeded' } | { status: 'failed'; failure: RunFailure };

/** What a step needs to build its `NodeContext`; timers are collected and saved with the step. */
export interface StepContextArgs {
  node: FlowNode;
  message: PendingMessage;
  /** Aborts once `timeoutMs` has passed since the context was made (`ctx.deadline`), or on shutdown. */
  signal: AbortSignal;
  /** The node's timeout: synchronous work (expressions) checks it as it goes, the signal cannot. */
  timeoutMs: number;
  setTimer(key: string, afterMs: number): void;
  /**
   * A connection may not be called before `until` (its circuit breaker is open, or it is at its
   * concurrency limit): if the step then fails, the run waits in the queue until then, and the
   * attempt does not count.
   */
  defer?(until: number): void;
}

/** The ports the loop runs through; the worker adapter implements them on Redis and BullMQ. */
export interface RunLoopDeps {
  plan: FlowPlan;
  executors: Readonly<Record<string, NodeExecutor>>;
  makeContext(args: StepContextArgs): NodeContext;
  /**
   * Durably records steps (in order) and the checkpoint after the last (and the run's end) in
   * one write. Called with at least one step.
   */
  persist(steps: readonly StepRecord[], cp: RunCheckpoint, end: RunEnd | undefined): Promise<void>;
  /**
   * Whether a node's steps act on the world (`sideEffects` in its manifest). When given, the
   * successful steps of other (pure) nodes get no checkpoint of their own: their records wait
   * and are written with the next checkpoint, which is taken before a side-effecting step runs,
   * after it, at every wait, hand-back, failure and at the end. A crash in between repeats
   * only pure, deterministic steps. Absent: a checkpoint after every step.
   */
  sideEffects?(node: FlowNode): boolean;
  /** Test fault point, reached before the checkpoint that precedes a side-effecting step. */
  fault?(point: 'step:before-side-effect'): Promise<void>;
  now(): number;
  random(): number;
  nodeTimeoutMs(node: FlowNode): number;
  /** Waits up to this long in process; longer waits hand the run back to the queue. */
  maxInlineWaitMs: number;
  sleep(ms: number): Promise<void>;
  /** True once the worker stops taking work: the loop hands the run back after the step. */
  stopping(): boolean;
  /**
   * Aborted when the shutdown grace runs out: the step in flight is aborted through its
   * context's signal and the run is handed back without recording it (another worker runs the
   * step again, with the same idempotency key).
   */
  shutdown?: AbortSignal;
  /** Epoch ms after which the run fails with a timeout. */
  deadline?: number;
}

export type LoopOutcome =
  | { kind: 'succeeded' }
  | { kind: 'failed'; failure: RunFailure }
  | { kind: 'wait'; until: number }
  | { kind: 'yield' };

function timeoutError(node: FlowNode, ms: number): TransientError {
  return new TransientError('timeout', `Node "${node.name}" did not finish within ${ms} ms.`);
}

/**
 * The abort of the step in flight, which the run's one shutdown listener calls: a listener
 * added and removed on every step costs more than a mapping step.
 */
interface ShutdownHook {
  abortStep?: () => void;
}

/** Runs the executor with a timeout that aborts its signal, and the shutdown through `hook`. */
async function execute(
  deps: RunLoopDeps,
  node: FlowNode,
  message: PendingMessage,
  timers: { key: string; afterMs: number }[],
  deferral: { until?: number },
  hook: ShutdownHook,
): Promise<NodeResult> {
  const executor = deps.executors[node.type];
  if (!executor) {
    throw new PermanentError('invalid-config', `No executor for node type "${node.type}".`);
  }
  const ms = deps.nodeTimeoutMs(node);
  // Made on first use: an AbortController costs more than a mapping step, and pure steps
  // never look at their signal. Aborting before anyone asked leaves an aborted signal ready.
  let controller: AbortController | undefined;
  let abortedWith: TransientError | undefined;
  const abort = (error: TransientError) => {
    abortedWith = error;
    controller?.abort(error);
  };
  const signal = (): AbortSignal => {
    if (!controller) {
      controller = new AbortController();
      if (abortedWith) controller.abort(abortedWith);
    }
    return controller.signal;
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timeoutError(node, ms);
      abort(error);
      reject(error);
    }, ms);
    if (deps.shutdown) {
      hook.abortStep = () => {
        const error = new TransientError('aborted', 'The worker shut down during the step.');
        abort(error);
        reject(error);
      };
      if (deps.shutdown.aborted) hook.abortStep();
    }
  });
  try {
    const ctx = deps.makeContext({
      node,
      message,
      get signal() {
        return signal();
      },
      timeoutMs: ms,
      setTimer: (key, afterMs) => {
        timers.push({ key, afterMs });
      },
      defer: (until) => {
        deferral.until = Math.max(deferral.until ?? 0, until);
      },
    });
    const input = { payload: message.payload, port: message.port, meta: message.meta };
    return await Promise.race([executor(input, ctx), timedOut]);
  } finally {
    clearTimeout(timer);
    hook.abortStep = undefined;
  }
}

function baseStep(
  cp: RunCheckpoint,
  node: FlowNode,
  message: PendingMessage,
  started: number,
  ended: number,
): Omit<StepRecord, 'status' | 'ports'> {
  return {
    index: cp.steps,
    nodeId: node.id,
    nodeType: node.type,
    messageId: message.id,
    attempt: message.attempt,
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
    inputPort: message.port,
    input: message.payload,
  };
}

function failureOf(node: FlowNode, message: PendingMessage, error: SerializedError, at: number) {
  return {
    nodeId: node.id,
    nodeType: node.type,
    messageId: message.id,
    error,
    at: new Date(at).toISOString(),
  };
}

/**
 * Executes a run's pending messages one step at a time until the run ends, must wait longer
 * than `maxInlineWaitMs`, or the worker is stopping. Each step is saved with a checkpoint, or,
 * with `deps.sideEffects`, a pure step's record waits for the next checkpoint (see there).
 */
export async function runLoop(cp: RunCheckpoint, deps: RunLoopDeps): Promise<LoopOutcome> {
  const hook: ShutdownHook = {};
  const onShutdown = () => hook.abortStep?.();
  deps.shutdown?.addEventListener('abort', onShutdown, { once: true });
  try {
    return await steps(cp, deps, hook);
  } finally {
    deps.shutdown?.removeEventListener('abort', onShutdown);
  }
}

async function steps(
  cp: RunCheckpoint,
  deps: RunLoopDeps,
  hook: ShutdownHook,
): Promise<LoopOutcome> {
  const { plan } = deps;
  // Records of pure steps executed since the last checkpoint, oldest first.
  const waiting: StepRecord[] = [];
  const checkpoint = async (step?: StepRecord, end?: RunEnd): Promise<void> => {
    if (step) waiting.push(step);
    if (waiting.length > 0) await deps.persist(waiting.splice(0), cp, end);
  };
  for (;;) {
    if (deps.stopping()) {
      await checkpoint();
      return { kind: 'yield' };
    }
    const now = deps.now();
    const pick = pickNext(cp, now);
    if (pick.kind === 'done') {
      await checkpoint();
      return { kind: 'succeeded' };
    }
    if (pick.kind === 'wait') {
      await checkpoint();
      const waitMs = pick.until - now;
      if (waitMs > deps.maxInlineWaitMs) return { kind: 'wait', until: pick.until };
      await deps.sleep(waitMs);
      continue;
    }
    const message = cp.pending[pick.index] as PendingMessage;
    const node = plan.nodes.get(message.nodeId);
    if (!node) throw new Error(`The flow has no node "${message.nodeId}".`);
    const pure = deps.sideEffects !== undefined && !deps.sideEffects(node);
    if (!pure && waiting.length > 0) {
      // The side effect's input and key (its message id) are durable before it is sent.
      await deps.fault?.('step:before-side-effect');
      await checkpoint();
    }
    if (deps.deadline !== undefined && now > deps.deadline) {
      const error = new PermanentError('timeout', 'The run exceeded its run timeout.').toJSON();
      const failure = failureOf(node, message, error, now);
      const step: StepRecord = {
        ...baseStep(cp, node, message, now, now),
        status: 'failed',
        ports: [],
        error,
      };
      cp.steps += 1;
      await checkpoint(step, { status: 'failed', failure });
      return { kind: 'failed', failure };
    }
    const timers: { key: string; afterMs: number }[] = [];
    const started = deps.now();
    let result: NodeResult | undefined;
    let error: SerializedError | undefined;
    const deferral: { until?: number } = {};
    try {
      result = await execute(deps, node, message, timers, deferral, hook);
    } catch (thrown) {
      error = serializeError(thrown);
    }
    // Aborted by the shutdown: the step did not happen as far as the run knows.
    if (deps.shutdown?.aborted) {
      await checkpoint();
      return { kind: 'yield' };
    }
    // A connection that may not be called now: not an attempt; the run waits outside any slot.
    if (!result && deferral.until !== undefined) {
      await checkpoint();
      return { kind: 'wait', until: deferral.until };
    }
    const ended = deps.now();
    const base = baseStep(cp, node, message, started, ended);
    if (result?.deadLetter) {
      // The dead-letter node parks the message: a permanent failure for the exception queue,
      // never retried and never routed to the error port.
      const parked = new PermanentError('dead-lettered', result.deadLetter.reason, {
        details: result.deadLetter.details,
      }).toJSON();
      const failure = failureOf(node, message, parked, ended);
      cp.steps += 1;
      await checkpoint(
        { ...base, status: 'failed', ports: [], error: parked },
        {
          status: 'failed',
          failure,
        },
      );
      return { kind: 'failed', failure };
    }
    if (result) {
      const ports = applySuccess(plan, cp, pick.index, result, ended);
      for (const t of timers) addTimer(cp, message, t.key, t.afterMs, ended);
      const output = result.emissions.map((e) => ({
        port: e.port,
        payload: e.payload as JsonValue,
      }));
      const step: StepRecord = { ...base, status: 'succeeded', output, ports };
      const end: RunEnd | undefined = cp.pending.length === 0 ? { status: 'succeeded' } : undefined;
      if (pure && !end) waiting.push(step);
      else await checkpoint(step, end);
      if (end) return { kind: 'succeeded' };
      continue;
    }
    const err = error as SerializedError;
    const outcome = applyFailure(plan, cp, pick.index, err, ended, deps.random());
    if (outcome.kind === 'retry') {
      const step: StepRecord = {
        ...base,
        status: 'retrying',
        ports: [],
        error: err,
        retryInMs: outcome.delayMs,
      };
      await checkpoint(step);
      continue;
    }
    if (outcome.kind === 'routed') {
      const step: StepRecord = { ...base, status: 'failed', ports: outcome.ports, error: err };
      const end: RunEnd | undefined = cp.pending.length === 0 ? { status: 'succeeded' } : undefined;
      await checkpoint(step, end);
      if (end) return { kind: 'succeeded' };
      continue;
    }
    const failure = failureOf(node, message, err, ended);
    await checkpoint(
      { ...base, status: 'failed', ports: [], error: err },
      {
        status: 'failed',
        failure,
      },
    );
    return { kind: 'failed', failure };
  }
}
