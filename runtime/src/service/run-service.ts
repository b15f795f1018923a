import { isDeepStrictEqual } from 'node:util';
import { type JsonValue, type MessageMeta, PermanentError } from '@crossdock/nodes';
import { checkpointAt, startCheckpoint } from '../engine/interpreter';
import { dedupeWindowMs, stepKeyBase, triggerKeys } from '../engine/interpreter-settings';
import type { RunCheckpoint, RunRecord, RunResolution, StepRecord } from '../engine/run-types';
import type { FaultPoints } from '../infra/fault-points';
import type { RuntimeMetrics } from '../infra/metrics';
import type { FlowStore } from '../store/flow-store';
import type { RunStore } from '../store/run-store';

export interface StartRunOptions {
  flowId: string;
  /** Defaults to the latest deployed version. */
  version?: string;
  payload: JsonValue;
  /** The trigger node the payload arrives at (a webhook); else the flow's first trigger. */
  triggerNodeId?: string;
  /** Test runs skip idempotency dedupe. */
  test?: boolean;
  /** A safe test run (implies `test`): see `RunRecord.dryRun`. */
  dryRun?: RunRecord['dryRun'];
  correlationId?: string;
  replayOf?: RunRecord['replayOf'];
  /** Start from this checkpoint instead of the trigger (a replay from a step). */
  checkpoint?: RunCheckpoint;
  /** A replay keeps the step idempotency keys of the run it replays. */
  stepKeyBase?: string;
  /** Refuse the run (queue-full) when this many runs already wait to start. */
  maxDepth?: number;
  /** Written on the original run when the replay claims it. */
  resolution?: RunResolution;
  /** The new run's id (a replay names it in the original's resolution); else a fresh one. */
  runId?: string;
  /**
   * Deduplicates this start under this key instead of the flow's own idempotency key (the
   * control tower's escalation of one breach: started again after a crash, it is one run).
   */
  idempotencyKey?: string;
  /** A webhook caller waits for the run's answer (request-reply); ignored for tests and replays. */
  awaitsReply?: boolean;
}

export interface StartedRun {
  runId: string;
  duplicate: boolean;
  /**
   * Runs waiting to start when this one was accepted (its partition's count times the
   * partitions), when the start had a depth limit.
   */
  waiting?: number;
}

/**
 * A start that was refused with nothing recorded: the queue is at its depth limit
 * (`queue-full`, with the depth), or the run to replay is not failed any more (`conflict`).
 * Identified by name across module boundaries.
 */
export class IntakeRefused extends Error {
  override readonly name = 'IntakeRefused';
  constructor(
    readonly reason: 'queue-full' | 'conflict',
    message: string,
    readonly depth?: number,
  ) {
    super(message);
  }
}

/** The step whose error was routed to the error port last (what a dead-letter node caught). */
function caughtStep(steps: readonly StepRecord[]): StepRecord | undefined {
  return [...steps].reverse().find((s) => s.status === 'failed' && s.ports.includes('error'));
}

/** Starts runs: evaluates keys, deduplicates, records the run with its one job. */
export class RunService {
  constructor(
    private readonly flows: FlowStore,
    private readonly runs: RunStore,
    private readonly metrics: RuntimeMetrics,
    private readonly newId: () => string,
    private readonly now: () => number,
    private readonly faults: FaultPoints = async () => {},
  ) {}

  async start(options: StartRunOptions): Promise<StartedRun> {
    const deployment =
      options.version !== undefined
        ? await this.flows.get(options.flowId, options.version)
        : await this.flows.latest(options.flowId);
    if (!deployment) {
      throw new PermanentError(
        'not-found',
        `No deployed flow "${options.flowId}"${options.version ? ` at version ${options.version}` : ''}.`,
      );
    }
    const flow = deployment.flow;
    const plan = await this.flows.plan(flow.id, flow.version);
    if (!plan) throw new PermanentError('not-found', `Flow ${flow.id}@${flow.version} vanished.`);
    const triggered = triggerKeys(flow, options.payload);
    const keys =
      options.idempotencyKey === undefined
        ? triggered
        : { ...triggered, idempotencyKey: options.idempotencyKey };
    const test = options.test === true || options.dryRun !== undefined;
    const runId = this.place(
      options,
      keys.orderingKey !== undefined && !test ? keys.orderingKey : undefined,
      options.replayOf === undefined && !test ? keys.idempotencyKey : undefined,
    );
    const correlationId = options.correlationId ?? runId;
    const isReplay = options.replayOf !== undefined;
    const checkpoint =
      options.checkpoint ??
      startCheckpoint(plan, options.payload, correlationId, options.triggerNodeId);
    const record: RunRecord = {
      id: runId,
      flowId: flow.id,
      version: flow.version,
      status: 'queued',
      trigger: options.payload,
      businessKeys: keys.businessKeys,
      correlationId,
      createdAt: new Date(this.now()).toISOString(),
      stepCount: 0,
      ...(keys.idempotencyKey !== undefined ? { idempotencyKey: keys.idempotencyKey } : {}),
      // A test run does not queue behind (or hold up) the flow's real runs.
      ...(keys.orderingKey !== undefined && !test ? { orderingKey: keys.orderingKey } : {}),
      ...(test ? { test: true } : {}),
      ...(options.dryRun ? { dryRun: options.dryRun } : {}),
      ...(options.replayOf ? { replayOf: options.replayOf } : {}),
      ...(options.awaitsReply && !test && !isReplay ? { awaitsReply: true as const } : {}),
    };
    const dedupe =
      keys.idempotencyKey !== undefined && !test && !isReplay
        ? { key: keys.idempotencyKey, windowMs: dedupeWindowMs(flow) }
        : undefined;
    const priority = flow.settings.priority;
    let serialized: ReturnType<RunStore['serialize']>;
    try {
      serialized = this.runs.serialize(
        {
          record,
          checkpoint,
          input: options.payload,
          stepKeyBase:
            options.stepKeyBase ??
            stepKeyBase(flow.id, test ? undefined : keys.idempotencyKey, runId),
          ...(dedupe ? { dedupe } : {}),
          ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
          ...(priority !== undefined ? { priority } : {}),
        },
        options.resolution,
      );
    } catch (error) {
      // Nothing is written yet: the caller may fix the payload and retry under the same key.
      throw new PermanentError(
        'invalid-input',
        `The payload cannot be recorded (${error instanceof RangeError ? 'nested too deeply' : (error as Error).message}); nothing was started.`,
      );
    }
    await this.faults('intake:before-record');
    const result = await this.runs.intake(serialized);
    if (result.kind === 'duplicate') return { runId: result.runId, duplicate: true };
    if (result.kind === 'full') {
      throw new IntakeRefused(
        'queue-full',
        `The runtime holds ${result.depth} runs waiting to start, its limit; retry later.`,
        result.depth,
      );
    }
    if (result.kind === 'not-replayable') {
      throw new IntakeRefused(
        'conflict',
        result.replayedBy
          ? `Run "${options.replayOf?.runId}" is already replayed by "${result.replayedBy}".`
          : `Run "${options.replayOf?.runId}" is ${result.status}; only failed runs are replayed.`,
      );
    }
    // The run and its job are recorded: from here a crash before the answer leaves a run that
    // will run, and the caller's retry with the same key finds it.
    await this.faults('intake:after-record');
    this.metrics.runs.inc({ flow: flow.id, status: 'queued' });
    return {
      runId,
      duplicate: false,
      ...(result.waiting !== undefined
        ? { waiting: result.waiting * this.runs.keys.partitions.length }
        : {}),
    };
  }

  /**
   * The new run's id, which names its partition (see `Keys`). Every key the intake script
   * writes is in that partition, so the run goes where its ordering key's queue is, else where
   * its idempotency key is (a redelivery finds the key in one script); a replay goes where the
   * run it claims is; any other run by a hash of its id. A trigger that names its run (an SFTP
   * file) gets its id placed the same way, so the same file is the same run id again.
   */
  private place(
    options: StartRunOptions,
    orderingKey: string | undefined,
    idempotencyKey: string | undefined,
  ): string {
    const keys = this.runs.keys;
    if (options.replayOf !== undefined) {
      // `replay` names the new run in the original's partition already.
      return options.runId ?? keys.placeRun(this.newId(), keys.partitionOf(options.replayOf.runId));
    }
    const base = options.runId ?? this.newId();
    const partition =
      orderingKey !== undefined
        ? keys.partitionFor(options.flowId, `order\u0000${orderingKey}`)
        : idempotencyKey !== undefined
          ? keys.partitionFor(options.flowId, `dedupe\u0000${idempotencyKey}`)
          : keys.partitionOf(base);
    return keys.placeRun(base, partition);
  }

  /**
   * Replays a failed run as a new run linked to it: from the start, or from a node (by default
   * the failed one) with its recorded input or an edited one. Earlier steps do not run again.
   */
  async replay(
    runId: string,
    by: string,
    options: { fromNode?: string; input?: JsonValue; fromStart?: boolean },
  ): Promise<StartedRun> {
    const original = await this.runs.get(runId);
    if (!original) throw new PermanentError('not-found', `No run "${runId}".`);
    if (original.status === 'replaying') {
      throw new IntakeRefused(
        'conflict',
        `Run "${runId}" is already replayed by "${original.replayedBy ?? '?'}".`,
      );
    }
    if (original.status !== 'failed') {
      throw new PermanentError(
        'invalid-input',
        `Run "${runId}" is ${original.status}; only failed runs are replayed.`,
      );
    }
    const internals = await this.runs.internals(runId);
    if (!internals) throw new PermanentError('not-found', `Run "${runId}" has expired.`);
    const plan = await this.flows.plan(original.flowId, original.version);
    if (!plan)
      throw new PermanentError(
        'not-found',
        `Flow ${original.flowId}@${original.version} is not deployed.`,
      );
    let checkpoint: RunCheckpoint | undefined;
    let fromNode: string | undefined;
    if (!options.fromStart) {
      // A dead-letter node parks an error it caught: replay the node that failed, not the park.
      const caught =
        original.failure?.error.code === 'dead-lettered' ? caughtStep(original.steps) : undefined;
      fromNode = options.fromNode ?? caught?.nodeId ?? original.failure?.nodeId;
      if (!fromNode)
        throw new PermanentError('invalid-input', 'The run has no failed step; give "fromNode".');
      if (!plan.nodes.has(fromNode)) {
        throw new PermanentError('invalid-input', `The flow has no node "${fromNode}".`);
      }
      const pending = internals.checkpoint.pending.find((m) => m.nodeId === fromNode);
      const lastStep = [...original.steps].reverse().find((s) => s.nodeId === fromNode);
      const payload = options.input ?? pending?.payload ?? lastStep?.input;
      if (payload === undefined) {
        throw new PermanentError(
          'invalid-input',
          `Node "${fromNode}" never ran in this run; give "input".`,
        );
      }
      const meta: MessageMeta = pending?.meta ?? {
        correlationId: original.correlationId,
        splits: [],
      };
      // The replayed step keeps the failed step's message id, so the downstream sees the same
      // Idempotency-Key: after a timeout or a 5xx it may have acted on the first request. Only a
      // corrected input after a definitive rejection (a permanent error: the downstream did not
      // act) is a new request with a new key, so a downstream that cached the rejection under
      // the old key does not answer the corrected request from that cache.
      const sentBefore = pending?.payload ?? lastStep?.input;
      const edited = options.input !== undefined && !isDeepStrictEqual(options.input, sentBefore);
      const rejected = lastStep?.error?.errorClass === 'permanent';
      const messageId = edited && rejected ? undefined : (pending?.id ?? lastStep?.messageId);
      checkpoint = checkpointAt(
        plan,
        fromNode,
        pending?.port ?? lastStep?.inputPort ?? 'in',
        payload,
        meta,
        { ...(messageId !== undefined ? { messageId } : {}), seq: internals.checkpoint.seq },
      );
    }
    const at = new Date(this.now()).toISOString();
    const newRunId = this.runs.keys.placeRun(this.newId(), this.runs.keys.partitionOf(runId));
    // The claim (failed -> replaying) and the new run are one intake script: a concurrent or
    // later replay finds the run replaying and is refused.
    return this.start({
      flowId: original.flowId,
      version: original.version,
      payload: internals.input,
      correlationId: original.correlationId,
      replayOf: { runId, by, ...(fromNode ? { fromNode } : {}) },
      stepKeyBase: internals.stepKeyBase,
      runId: newRunId,
      resolution: { action: 'replayed', by, at, runId: newRunId },
      ...(checkpoint ? { checkpoint } : {}),
    });
  }

  async discard(runId: string, by: string, reason: string): Promise<void> {
    const original = await this.runs.record(runId);
    if (!original) throw new PermanentError('not-found', `No run "${runId}".`);
    if (original.status !== 'failed') {
      throw new PermanentError(
        'invalid-input',
        `Run "${runId}" is ${original.status}; only failed runs are discarded.`,
      );
    }
    await this.runs.resolve(original, {
      action: 'discarded',
      by,
      reason,
      at: new Date(this.now()).toISOString(),
    });
  }
}
