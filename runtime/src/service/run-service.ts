import { type JsonValue, type MessageMeta, PermanentError } from '@crossdock/nodes';
import type { Queue } from 'bullmq';
import { checkpointAt, startCheckpoint } from '../engine/interpreter';
import { dedupeWindowMs, triggerKeys } from '../engine/interpreter-settings';
import type { RunCheckpoint, RunRecord } from '../engine/run-types';
import type { RuntimeMetrics } from '../infra/metrics';
import { enqueueRun, type RunJobData } from '../queue/run-queue';
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
}

export interface StartedRun {
  runId: string;
  duplicate: boolean;
}

/** Starts runs: evaluates keys, deduplicates, records the run, enqueues its one job. */
export class RunService {
  constructor(
    private readonly flows: FlowStore,
    private readonly runs: RunStore,
    private readonly queue: Queue<RunJobData>,
    private readonly metrics: RuntimeMetrics,
    private readonly newId: () => string,
    private readonly now: () => number,
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
    const keys = triggerKeys(flow, options.payload);
    const runId = this.newId();
    const correlationId = options.correlationId ?? runId;
    const isReplay = options.replayOf !== undefined;
    if (keys.idempotencyKey !== undefined && !options.test && !options.dryRun && !isReplay) {
      const existing = await this.runs.reserve(
        { key: keys.idempotencyKey, windowMs: dedupeWindowMs(flow) },
        runId,
        flow.id,
      );
      if (existing) return { runId: existing, duplicate: true };
    }
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
      ...(options.test || options.dryRun ? { test: true } : {}),
      ...(options.dryRun ? { dryRun: options.dryRun } : {}),
      ...(options.replayOf ? { replayOf: options.replayOf } : {}),
    };
    await this.runs.create({ record, checkpoint, input: options.payload });
    await enqueueRun(this.queue, runId, flow.settings.priority);
    this.metrics.runs.inc({ flow: flow.id, status: 'queued' });
    return { runId, duplicate: false };
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
      fromNode = options.fromNode ?? original.failure?.nodeId;
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
      checkpoint = checkpointAt(
        plan,
        fromNode,
        pending?.port ?? lastStep?.inputPort ?? 'in',
        payload,
        meta,
      );
    }
    const started = await this.start({
      flowId: original.flowId,
      version: original.version,
      payload: internals.input,
      correlationId: original.correlationId,
      replayOf: { runId, by, ...(fromNode ? { fromNode } : {}) },
      ...(checkpoint ? { checkpoint } : {}),
    });
    await this.runs.resolve(original, {
      action: 'replayed',
      by,
      at: new Date(this.now()).toISOString(),
      runId: started.runId,
    });
    return started;
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
