import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type Diagnostic,
  type ExplicitMilestone,
  type FlowNode,
  hasErrors,
  type JsonValue,
  loadProcess,
  type MilestoneRecorded,
  type NodeExecutor,
  PermanentError,
  type ProcessDocument,
} from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { ContextDeps } from '../context/node-context';
import { runSingleStep } from '../context/single-step';
import type { RunStatus, StepRecord } from '../engine/run-types';
import type { FaultPoints } from '../infra/fault-points';
import type { Logger } from '../infra/logger';
import type { RunService } from '../service/run-service';
import type { RunStore } from '../store/run-store';
import {
  acknowledgeBreach,
  type Breach,
  breachDeadline,
  type ObjectState,
  recordMilestone,
} from './object-state';
import {
  type MatchedMilestone,
  MilestoneIndex,
  type Observation,
  type ObservedRun,
} from './observe';
import type { ProcessStore } from './process-store';
import type { TowerMetrics } from './tower-metrics';
import {
  escalationMember,
  parseDeadlineMember,
  parseEscalationMember,
  type TowerStore,
} from './tower-store';

export interface TowerDeps {
  store: TowerStore;
  /** The deployed process versions; the active ones are what this tower observes. */
  processes: ProcessStore;
  runs: RunStore;
  service: RunService;
  context: ContextDeps;
  executors: Readonly<Record<string, NodeExecutor>>;
  metrics: TowerMetrics;
  log: Logger;
  now(): number;
  /** How often workers look for passed deadlines. */
  tickMs: number;
  /** How long a worker holds a claimed deadline or escalation before another may take it. */
  leaseMs: number;
  faults: FaultPoints;
}

/** A process file read from disk: the document, or why it is not one. */
export interface ProcessFile {
  file: string;
  process: ProcessDocument | undefined;
  diagnostics: Diagnostic[];
}

/**
 * Reads `<flows dir>/processes/*.process.json` (the bootstrap path deploys them; see
 * `deployProcessFiles`). Only the file's own checks here: references to flows are checked
 * against what is deployed when the process is.
 */
export function readProcessFiles(flowsDir: string): ProcessFile[] {
  const dir = path.join(flowsDir, 'processes');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.process.json'));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const loaded = loadProcess(readFileSync(path.join(dir, name), 'utf8'), {
      expectedId: path.basename(name, '.process.json'),
    });
    return {
      file: path.join('processes', name),
      process: loaded.process && !hasErrors(loaded.diagnostics) ? loaded.process : undefined,
      diagnostics: loaded.diagnostics,
    };
  });
}

/** The longest the process list lives in process, in case a change announcement was lost. */
const PROCESS_CACHE_MS = 5_000;

/**
 * The control tower: records milestones observed on runs into per-object state, fires each
 * passed deadline once across all workers, escalates, and answers the API's questions.
 */
export class Tower {
  private index = new MilestoneIndex([]);
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** When the active processes were last read from Redis (wall clock; -Infinity: read again). */
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  /** Counts announcements: a read that started before one must not count as fresh. */
  private generation = 0;

  constructor(private readonly deps: TowerDeps) {}

  get store(): TowerStore {
    return this.deps.store;
  }

  /** The deployed process versions (deploy, rollback, versions). */
  get processes(): ProcessStore {
    return this.deps.processes;
  }

  /** Reads the active process versions now; a failed read keeps the ones held. */
  async reload(): Promise<void> {
    this.loading ??= (async () => {
      const startedAt = Date.now();
      const generation = this.generation;
      try {
        const active = await this.deps.processes.allActive();
        this.index = new MilestoneIndex(active.map((d) => d.process));
        if (generation === this.generation) this.loadedAt = startedAt;
      } catch (error) {
        this.deps.log.warn({ err: error }, 'active business processes not read; keeping the last');
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }

  /**
   * The active versions, read again when an announcement said they changed or after a few
   * seconds at the latest: a deploy on one runtime reaches every worker without a restart.
   */
  async fresh(): Promise<readonly ProcessDocument[]> {
    if (Date.now() - this.loadedAt < PROCESS_CACHE_MS) return this.list();
    const generation = this.generation;
    await this.reload();
    // A read already under way when a change was announced is read again (once).
    if (generation !== this.generation) await this.reload();
    return this.list();
  }

  /** The next `fresh` reads Redis. */
  invalidate(): void {
    this.generation++;
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Listens for deploys and rollbacks on `subscriber` (a connection of its own). A dropped
   * connection may have missed one: its return reads again too.
   */
  async watch(subscriber: Redis): Promise<void> {
    const channel = this.deps.processes.channel;
    subscriber.on('message', (from: string) => {
      if (from === channel) this.invalidate();
    });
    subscriber.on('ready', () => this.invalidate());
    await subscriber.subscribe(channel);
    this.invalidate();
  }

  list(): readonly ProcessDocument[] {
    return this.index.processes;
  }

  get(id: string): ProcessDocument | undefined {
    return this.index.processes.find((p) => p.id === id);
  }

  /** The processes that observe a flow (replay authority). */
  observing(flowId: string): ProcessDocument[] {
    return this.index.processes.filter((p) =>
      p.milestones.some((m) => m.on.some((s) => s.flow === flowId)),
    );
  }

  /**
   * The worker's hook after each durable step (and the run's end). Never throws: the control
   * tower must not fail a run; a problem is logged.
   */
  async observe(
    run: { id: string; flowId: string; createdAt: number },
    step: StepRecord,
    end: { status: RunStatus } | undefined,
  ): Promise<void> {
    await this.fresh();
    if (!this.index.observes(run.flowId)) return;
    const observations: Observation[] = [{ kind: 'step', step }];
    if (end) observations.push({ kind: 'end', status: end.status, at: Date.parse(step.endedAt) });
    const wanted = observations.filter((o) => this.index.interested(run.flowId, o));
    if (wanted.length === 0) return;
    try {
      const record = await this.deps.runs.record(run.id);
      const observed: ObservedRun = {
        id: run.id,
        flowId: run.flowId,
        createdAt: run.createdAt,
        trigger: record?.trigger ?? null,
        businessKeys: record?.businessKeys ?? {},
      };
      const now = this.deps.now();
      for (const o of wanted) {
        for (const match of this.index.match(observed, o, now)) await this.apply(match, now);
      }
    } catch (error) {
      this.deps.log.error(
        { err: error, runId: run.id },
        'control tower could not record a milestone',
      );
    }
  }

  /** Records one milestone on its object under the object's lock; false when already there. */
  private async apply(match: MatchedMilestone, now: number): Promise<ObjectState | undefined> {
    const { store, metrics } = this.deps;
    return store.withLock(match.process.id, match.key, async () => {
      const before = await store.get(match.process.id, match.key);
      const change = recordMilestone(match.process, before, match.key, match.observed, now);
      if (!change.changed) return undefined;
      await store.put(match.process, before, change.state);
      const labels = { process: match.process.id, milestone: match.observed.milestone };
      metrics.milestones.inc(labels);
      metrics.latency.observe(labels, (match.observed.entry.latencyMs ?? 0) / 1000);
      for (const f of change.state.failedChecks) {
        if (!before?.failedChecks.some((b) => b.check === f.check && b.at === f.at))
          metrics.failedChecks.inc({ process: match.process.id, check: f.check, owner: f.owner });
      }
      return change.state;
    });
  }

  /**
   * A milestone a flow records explicitly (`flow.milestone`). Idempotent per step message: a
   * retry of the step records it once. Unknown process or milestone, or no key: permanent.
   */
  async record(
    run: { id: string; flowId: string },
    step: { nodeId: string; messageId: string },
    m: ExplicitMilestone,
  ): Promise<MilestoneRecorded> {
    await this.fresh();
    const process = this.get(m.process);
    if (!process)
      throw new PermanentError('invalid-config', `No business process "${m.process}" is loaded.`);
    if (!process.milestones.some((x) => x.id === m.milestone))
      throw new PermanentError(
        'invalid-config',
        `Business process "${m.process}" has no milestone "${m.milestone}".`,
      );
    const record = await this.deps.runs.record(run.id);
    const key = m.key ?? record?.businessKeys[process.businessKey];
    if (key === undefined || key === '')
      throw new PermanentError(
        'invalid-input',
        `No key for "${m.process}": the node gives none and the run has no business key "${process.businessKey}".`,
      );
    const now = this.deps.now();
    const createdAt = record ? Date.parse(record.createdAt) : now;
    const state = await this.apply(
      {
        process,
        key,
        observed: {
          milestone: m.milestone,
          entry: {
            id: `${run.id}:${step.nodeId}:${step.messageId}:${m.milestone}`,
            milestone: m.milestone,
            occurredAt: m.occurredAt ?? new Date(now).toISOString(),
            recordedAt: new Date(now).toISOString(),
            flowId: run.flowId,
            runId: run.id,
            nodeId: step.nodeId,
            attributes: m.attributes,
            latencyMs: Math.max(0, now - createdAt),
          },
        },
      },
      now,
    );
    const stage = state?.stage ?? (await this.deps.store.get(process.id, key))?.stage ?? '';
    return { recorded: state !== undefined, key, stage };
  }

  /** Starts the deadline scan on this worker (every worker may run one; each deadline fires once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'control tower scan failed'))
        .finally(() => {
          this.ticking = undefined;
        });
    }, this.deps.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /**
   * One scan: claims the deadlines due (at most `limit` at a time) and breaches them, then
   * claims the escalations owed (these and any a dead worker left) and carries them out.
   */
  async tick(limit = 500): Promise<Breach[]> {
    const raised: Breach[] = [];
    const { store, leaseMs } = this.deps;
    await this.fresh();
    for (;;) {
      const now = this.deps.now();
      const members = await store.claimDue(now, limit, leaseMs);
      for (const member of members) {
        const ref = parseDeadlineMember(member);
        const process = ref ? this.get(ref.pid) : undefined;
        if (ref && process)
          raised.push(...(await this.fire(process, ref.key, ref.expectation, now)));
      }
      await store.doneFiring(members);
      if (members.length < limit) break;
    }
    for (;;) {
      const members = await store.claimEscalations(this.deps.now(), limit, leaseMs);
      for (const member of members) {
        const ref = parseEscalationMember(member);
        const process = ref ? this.get(ref.pid) : undefined;
        if (ref && process) await this.escalateOwed(process, ref.key, ref.breachId);
      }
      await store.doneEscalating(members);
      if (members.length < limit) return raised;
    }
  }

  private async fire(
    process: ProcessDocument,
    key: string,
    expectationId: string,
    now: number,
  ): Promise<Breach[]> {
    const { store } = this.deps;
    const change = await store.withLock(process.id, key, async () => {
      const before = await store.get(process.id, key);
      if (!before) return undefined;
      const c = breachDeadline(process, before, expectationId, now);
      if (c.changed) {
        // The escalation job is written with the breach: a crash after this loses neither.
        const owed = c.raised
          .filter((b) => process.expectations.some((x) => x.id === b.expectation && x.escalation))
          .map((b) => escalationMember(process.id, key, b.id));
        await store.put(process, before, c.state, owed, now);
      }
      return c;
    });
    if (!change?.changed) return [];
    for (const breach of change.raised) {
      this.deps.metrics.breaches.inc({
        process: process.id,
        expectation: breach.expectation,
        owner: breach.owner,
        severity: breach.severity,
      });
      this.deps.log.warn(
        { process: process.id, key, expectation: breach.expectation, owner: breach.owner },
        'business process expectation breached',
      );
    }
    await this.deps.faults('tower:after-breach');
    return change.raised;
  }

  /**
   * Carries out the escalation a breach owes, at least once and with one effect: a breach that
   * already records its escalation is skipped, the flow is started under an idempotency key of
   * the breach (a second start returns the first run), and the webhook carries a key derived
   * from the breach (a receiver honouring Idempotency-Key acts once).
   */
  private async escalateOwed(process: ProcessDocument, key: string, breachId: string) {
    const { store } = this.deps;
    const state = await store.get(process.id, key);
    const breach = state?.breaches.find((b) => b.id === breachId);
    if (!state || !breach || breach.escalation) return;
    const escalation = await this.escalate(process, state, breach);
    await this.deps.faults('tower:after-escalate');
    if (!escalation) return;
    await store.withLock(process.id, key, async () => {
      const current = await store.get(process.id, key);
      const b = current?.breaches.find((x) => x.id === breachId);
      if (!current || !b || b.escalation) return;
      b.escalation = escalation;
      await store.put(process, current, current);
    });
  }

  /** The breach and the object, as an escalation flow's trigger and a notify webhook receive them. */
  escalationPayload(process: ProcessDocument, state: ObjectState, breach: Breach): JsonValue {
    const stage = process.milestones.find((m) => m.id === state.stage);
    return {
      process: process.id,
      processName: process.name,
      key: state.key,
      businessKey: process.businessKey,
      breachId: breach.id,
      expectation: breach.expectation,
      expectationName: breach.name,
      owner: breach.owner,
      severity: breach.severity,
      deadline: breach.deadline,
      since: breach.since,
      stage: state.stage,
      stageName: stage?.name ?? state.stage,
      timeline: state.timeline.map((e) => ({
        milestone: e.milestone,
        occurredAt: e.occurredAt,
        runId: e.runId,
      })),
    } as JsonValue;
  }

  private async escalate(
    process: ProcessDocument,
    state: ObjectState,
    breach: Breach,
  ): Promise<Breach['escalation']> {
    const x = process.expectations.find((e) => e.id === breach.expectation);
    const escalation = x?.escalation;
    if (!escalation) return undefined;
    const payload = this.escalationPayload(process, state, breach);
    const result: NonNullable<Breach['escalation']> = {};
    const errors: string[] = [];
    if (escalation.flow) {
      try {
        const started = await this.deps.service.start({
          flowId: escalation.flow,
          payload,
          correlationId: `breach:${process.id}:${state.key}:${breach.id}`,
          idempotencyKey: `breach:${process.id}:${state.key}:${breach.id}`,
        });
        result.runId = started.runId;
      } catch (error) {
        errors.push(
          `flow ${escalation.flow}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    if (escalation.notify) {
      try {
        await this.notify(escalation.notify, payload, breach);
        result.notified = true;
      } catch (error) {
        result.notified = false;
        errors.push(`notify: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (errors.length > 0) {
      result.error = errors.join('; ');
      this.deps.log.error(
        { process: process.id, breach: breach.id, error: result.error },
        'escalation failed',
      );
    }
    return result;
  }

  /** The webhook goes through `exception.notify` itself: same auth, hosts and rate limits. */
  private async notify(
    target: { connection: string; path: string },
    payload: JsonValue,
    breach: Breach,
  ): Promise<void> {
    const node: FlowNode = {
      id: 'escalation',
      type: 'exception.notify',
      name: 'Escalation',
      position: { x: 0, y: 0 },
      config: { connection: target.connection, path: target.path, severity: breach.severity },
    };
    await runSingleStep({
      deps: this.deps.context,
      executors: this.deps.executors,
      node,
      payload,
      owner: 'control-tower',
      correlationId: breach.id,
      runId: `breach-${breach.id}`,
      timeoutMs: 15_000,
    });
  }

  /** An operator acknowledges a breach; `undefined` when there is no such object or breach. */
  async acknowledge(
    process: ProcessDocument,
    key: string,
    breachId: string,
    by: string,
    comment: string,
  ): Promise<ObjectState | undefined> {
    const { store } = this.deps;
    return store.withLock(process.id, key, async () => {
      const before = await store.get(process.id, key);
      if (!before) return undefined;
      const after = acknowledgeBreach(before, breachId, {
        by,
        at: new Date(this.deps.now()).toISOString(),
        comment,
      });
      if (after) await store.put(process, before, after);
      return after;
    });
  }

  /** Drops objects older than the retention from the indexes (their state has expired). */
  async trim(): Promise<void> {
    for (const p of this.list()) await this.deps.store.trim(p, this.deps.now());
  }
}
