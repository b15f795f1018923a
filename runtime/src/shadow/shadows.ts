import { createHash, randomUUID } from 'node:crypto';
import type { Environment, FlowDocument, JsonValue } from '@crossdock/nodes';
import type { RunWithSteps, ShadowLink, StepRecord } from '../engine/run-types';
import type { Logger } from '../infra/logger';
import type { RunService } from '../service/run-service';
import { ServiceError } from '../service/service-error';
import { contentHash, type FlowStore } from '../store/flow-store';
import type { RunStore } from '../store/run-store';
import { compareRuns, type OutboundRequest } from './compare';
import { type CutoverCheck, cutoverCriterion, evaluateCutover } from './cutover';
import {
  type ComparedPair,
  OUTCOMES,
  type RankedField,
  type Shadow,
  type ShadowStore,
} from './shadow-store';

/** What starting a shadow takes (the API body, parsed). */
export interface StartShadow {
  /** The candidate version; deployed already here, or sent as `flow`. */
  version: string;
  /** The candidate's document, when it is not deployed here (it is deployed as a test version). */
  flow?: FlowDocument;
  sample?: number;
  until?: string;
  mapping?: Record<string, string>;
  ignore?: string[];
}

/** The reconciliation report of a shadow. */
export interface ShadowReport {
  shadow: Shadow;
  counts: {
    mirrored: number;
    compared: number;
    identical: number;
    differing: number;
    onlyInA: number;
    onlyInB: number;
  };
  timeline: { at: string; counts: Record<string, number> }[];
  fields: RankedField[];
  differences: ComparedPair[];
  /** Null when the environment sets no `settings.cutover`. */
  cutover: CutoverCheck | null;
}

export interface ShadowDeps {
  store: ShadowStore;
  flows: FlowStore;
  runs: RunStore;
  service: RunService;
  environment: Environment;
  log: Logger;
  now(): number;
  newId?: () => string;
}

/** Whether a run is in the sample: the same answer for the same run id on every worker. */
export function inSample(runId: string, sample: number): boolean {
  if (sample >= 1) return true;
  const n = createHash('sha256').update(runId).digest().readUInt32BE(0);
  return n / 0x1_0000_0000 < sample;
}

function requestsOf(steps: readonly StepRecord[], which: 'sent' | 'notSent'): OutboundRequest[] {
  return steps.flatMap((s) =>
    (s[which] ?? []).map((r) => ({ nodeId: s.nodeId, method: r.method, url: r.url, body: r.body })),
  );
}

/**
 * Dual runs: every run of the active version that a running shadow samples is repeated, once it
 * has ended, through the candidate version as a dry run whose side-effecting steps are answered
 * from what the active run's steps received. When the shadow run ends, the two are compared and
 * the result counted in the shadow's report.
 */
export class Shadows {
  private readonly newId: () => string;

  constructor(private readonly deps: ShadowDeps) {
    this.newId = deps.newId ?? (() => `shd_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  }

  async start(flowId: string, request: StartShadow, by: string): Promise<Shadow> {
    const { flows } = this.deps;
    const active = await flows.latest(flowId);
    if (!active) throw new ServiceError('not-found', `No deployed flow "${flowId}".`);
    let deployedVersion = request.version;
    let hash: string;
    if (request.flow) {
      if (request.flow.id !== flowId || request.flow.version !== request.version) {
        throw new ServiceError(
          'invalid-shadow',
          `The document is ${request.flow.id}@${request.flow.version}, not ${flowId}@${request.version}.`,
        );
      }
      hash = contentHash(request.flow);
      deployedVersion = `${request.version}+shadow.${hash.slice(0, 10)}`;
      const result = await flows.deploy(
        { ...request.flow, version: deployedVersion },
        by,
        new Date(this.deps.now()),
        true,
      );
      if (result.status === 'conflict') {
        throw new ServiceError('version-conflict', `Shadow version ${deployedVersion} collided.`);
      }
    } else {
      const deployed = await flows.get(flowId, request.version);
      if (!deployed) {
        throw new ServiceError(
          'not-found',
          `Version ${request.version} of "${flowId}" is not deployed here; send its document as "flow".`,
        );
      }
      hash = deployed.hash;
    }
    if (deployedVersion === active.flow.version) {
      throw new ServiceError(
        'invalid-shadow',
        `${flowId}@${request.version} is the active version; shadow a different one.`,
      );
    }
    const shadow: Shadow = {
      id: this.newId(),
      flowId,
      version: request.version,
      deployedVersion,
      hash,
      activeVersion: active.flow.version,
      sample: request.sample ?? 1,
      ...(request.until !== undefined ? { until: request.until } : {}),
      mapping: request.mapping ?? {},
      ignore: request.ignore ?? [],
      status: 'running',
      startedAt: new Date(this.deps.now()).toISOString(),
      startedBy: by,
    };
    await this.deps.store.save(shadow);
    return shadow;
  }

  async stop(flowId: string, id: string, by: string): Promise<Shadow> {
    const shadow = await this.get(flowId, id);
    if (shadow.status === 'stopped') return shadow;
    const stopped: Shadow = {
      ...shadow,
      status: 'stopped',
      stoppedAt: new Date(this.deps.now()).toISOString(),
      stoppedBy: by,
    };
    await this.deps.store.save(stopped);
    return stopped;
  }

  async get(flowId: string, id: string): Promise<Shadow> {
    const shadow = await this.deps.store.get(id);
    if (!shadow || shadow.flowId !== flowId) {
      throw new ServiceError('not-found', `No shadow "${id}" of "${flowId}".`);
    }
    return shadow;
  }

  list(flowId: string): Promise<Shadow[]> {
    return this.deps.store.list(flowId);
  }

  /** The shadows mirroring runs of this flow version now. */
  async watching(flowId: string, version: string): Promise<Shadow[]> {
    const now = this.deps.now();
    return (await this.deps.store.running(flowId)).filter(
      (s) => s.activeVersion === version && (s.until === undefined || Date.parse(s.until) > now),
    );
  }

  /** An active run ended: starts its shadow run in each running shadow that samples it. */
  async afterActiveRun(runId: string, watchers: readonly Shadow[]): Promise<void> {
    const { store, runs, flows, service } = this.deps;
    const chosen = watchers.filter((s) => inSample(runId, s.sample));
    if (chosen.length === 0) return;
    const run = await runs.get(runId);
    const internals = await runs.internals(runId);
    if (!run || !internals) return;
    for (const shadow of chosen) {
      if (!(await store.claimRun(shadow.id, runId))) continue;
      const plan = await flows.plan(shadow.flowId, shadow.deployedVersion);
      if (!plan) {
        this.deps.log.warn({ shadowId: shadow.id }, 'shadow version no longer deployed');
        continue;
      }
      const link = answersFor(run, shadow, new Set(plan.nodes.keys()));
      const trigger = run.steps[0]?.nodeId;
      const triggerNodeId =
        trigger !== undefined ? (invert(shadow.mapping)[trigger] ?? trigger) : undefined;
      const started = await service.start({
        flowId: shadow.flowId,
        version: shadow.deployedVersion,
        payload: internals.input,
        ...(triggerNodeId && plan.nodes.has(triggerNodeId) ? { triggerNodeId } : {}),
        dryRun: { answers: {}, shadow: link },
        correlationId: run.correlationId,
      });
      await store.mirrored(shadow.id, runId, started.runId);
    }
  }

  /** A shadow run ended: compares it with its active run and counts the result. */
  async afterShadowRun(runId: string, link: ShadowLink): Promise<void> {
    const { store, runs } = this.deps;
    const shadow = await store.get(link.shadowId);
    const [a, b] = await Promise.all([runs.get(link.runId), runs.get(runId)]);
    if (!shadow || !a || !b) return;
    const comparison = compareRuns(
      { requests: requestsOf(a.steps, 'sent'), status: a.status },
      { requests: requestsOf(b.steps, 'notSent'), status: b.status },
      { mapping: shadow.mapping, ignore: shadow.ignore },
    );
    const at = new Date(this.deps.now()).toISOString();
    await store.record(
      shadow.id,
      {
        ...comparison,
        businessKeys: a.businessKeys,
        aRunId: a.id,
        bRunId: b.id,
        aStatus: a.status,
        bStatus: b.status,
        at,
      },
      `${at.slice(0, 16)}Z`,
    );
  }

  async report(flowId: string, id: string, limit = 200): Promise<ShadowReport> {
    const { store } = this.deps;
    const shadow = await this.get(flowId, id);
    const [raw, mirrored, timeline, fields, differences] = await Promise.all([
      store.counts(id),
      store.mirroredCount(id),
      store.timeline(id),
      store.fields(id),
      store.differences(id),
    ]);
    const n = (o: string) => raw[o] ?? 0;
    const compared = OUTCOMES.reduce((sum, o) => sum + n(o), 0);
    const counts = {
      mirrored,
      compared,
      identical: n('identical'),
      differing: n('differing'),
      onlyInA: n('only-in-a'),
      onlyInB: n('only-in-b'),
    };
    const criterion = cutoverCriterion(this.deps.environment);
    const fieldCounts = new Map(fields.map((f) => [f.field, f.count]));
    return {
      shadow,
      counts,
      timeline,
      fields,
      differences: differences.slice(0, limit),
      cutover: criterion ? evaluateCutover(criterion, counts, fieldCounts) : null,
    };
  }

  /**
   * Whether promoting this document may go ahead: when the environment requires the cutover
   * criterion and the flow already runs here, a shadow of exactly this content must meet it.
   */
  async promotionGate(
    flow: FlowDocument,
  ): Promise<{ required: boolean; check: CutoverCheck | null; shadowId?: string }> {
    const criterion = cutoverCriterion(this.deps.environment);
    if (!criterion) return { required: false, check: null };
    const hash = contentHash(flow);
    const candidates = (await this.deps.store.list(flow.id)).filter(
      (s) => s.version === flow.version && s.hash === hash,
    );
    let best: { check: CutoverCheck; shadowId: string } | undefined;
    for (const s of candidates) {
      const { cutover } = await this.report(flow.id, s.id, 0);
      if (cutover && (!best || (cutover.met && !best.check.met))) {
        best = { check: cutover, shadowId: s.id };
      }
    }
    const required =
      criterion.requireForPromotion && (await this.deps.flows.latest(flow.id)) !== undefined;
    if (best) return { required, check: best.check, shadowId: best.shadowId };
    return {
      required,
      check: evaluateCutover(criterion, { compared: 0, identical: 0 }, new Map()),
    };
  }
}

function invert(mapping: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([b, a]) => [a, b]));
}

/**
 * The answers the shadow run's side-effecting steps get: each exchange of the active run, by
 * the node with the same id in the candidate (or mapped to it), else in order.
 */
export function answersFor(
  run: RunWithSteps,
  shadow: Pick<Shadow, 'id' | 'mapping'>,
  candidateNodes: ReadonlySet<string>,
): ShadowLink {
  const fromActive = invert(shadow.mapping);
  const answers: ShadowLink['answers'] = {};
  const sequence: ShadowLink['sequence'] = [];
  for (const step of run.steps) {
    for (const exchange of step.sent ?? []) {
      const answer: { status: number; body: JsonValue } = {
        status: exchange.status,
        body: exchange.response,
      };
      const target = fromActive[step.nodeId] ?? step.nodeId;
      if (candidateNodes.has(target)) answers[target] = [...(answers[target] ?? []), answer];
      else sequence.push(answer);
    }
  }
  return { shadowId: shadow.id, runId: run.id, answers, sequence };
}

/**
 * Hands a shadow run's requests their answers: a node's own answers in order, then the
 * unclaimed ones in order, then nothing (the request is marked unmatched). Counted per job: a
 * shadow run that waits and resumes elsewhere starts the count again (see docs/cutover.md).
 */
export function shadowAnswerer(
  link: ShadowLink,
): (nodeId: string) => { status: number; body: JsonValue } | undefined {
  const used = new Map<string, number>();
  let next = 0;
  return (nodeId) => {
    const own = link.answers[nodeId] ?? [];
    const i = used.get(nodeId) ?? 0;
    if (i < own.length) {
      used.set(nodeId, i + 1);
      return own[i];
    }
    const answer = link.sequence[next];
    if (answer) next += 1;
    return answer;
  };
}
