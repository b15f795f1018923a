import {
  evaluate,
  isRunSource,
  type JsonValue,
  type ProcessDocument,
  type ProcessMilestone,
  truthy,
} from '@crossdock/nodes';
import type { RunStatus, StepRecord } from '../engine/run-types';
import type { ObservedMilestone } from './object-state';

/** The run around an observed step: what milestone expressions may read besides the step. */
export interface ObservedRun {
  id: string;
  flowId: string;
  createdAt: number;
  trigger: JsonValue;
  businessKeys: Record<string, string>;
}

/** What happened: a step of a run, or a run's end. */
export type Observation =
  | { kind: 'step'; step: StepRecord }
  | { kind: 'end'; status: RunStatus; at: number };

export interface MatchedMilestone {
  process: ProcessDocument;
  key: string;
  observed: ObservedMilestone;
}

interface Listener {
  process: ProcessDocument;
  milestone: ProcessMilestone;
  node?: string;
  port?: string;
  runStatus?: string;
}

/** The milestones every flow feeds, built once per set of processes. */
export class MilestoneIndex {
  private readonly byFlow = new Map<string, Listener[]>();

  constructor(readonly processes: readonly ProcessDocument[]) {
    for (const process of processes) {
      for (const milestone of process.milestones) {
        for (const source of milestone.on) {
          const list = this.byFlow.get(source.flow) ?? [];
          list.push(
            isRunSource(source)
              ? { process, milestone, runStatus: source.runStatus }
              : {
                  process,
                  milestone,
                  node: source.node,
                  ...(source.port !== undefined ? { port: source.port } : {}),
                },
          );
          this.byFlow.set(source.flow, list);
        }
      }
    }
  }

  /** True when some process observes this flow: the worker reads nothing more otherwise. */
  observes(flowId: string): boolean {
    return this.byFlow.has(flowId);
  }

  /** Could this observation record anything (before the run's trigger is read)? */
  interested(flowId: string, what: Observation): boolean {
    return (this.byFlow.get(flowId) ?? []).some((l) => listens(l, what));
  }

  /** The milestones an observation records, with their keys, times and attributes. */
  match(run: ObservedRun, what: Observation, now: number): MatchedMilestone[] {
    const out: MatchedMilestone[] = [];
    for (const l of this.byFlow.get(run.flowId) ?? []) {
      if (!listens(l, what)) continue;
      const data = stepData(run, what, l.port);
      const m = l.milestone;
      if (m.when !== undefined && !safeTruthy(m.when, data)) continue;
      const key =
        m.key !== undefined ? safeEval(m.key, data) : run.businessKeys[l.process.businessKey];
      if ((typeof key !== 'string' && typeof key !== 'number') || key === '') continue;
      const endedAt = what.kind === 'step' ? Date.parse(what.step.endedAt) : what.at;
      const occurred = m.occurredAt !== undefined ? safeEval(m.occurredAt, data) : undefined;
      const occurredMs = typeof occurred === 'string' ? Date.parse(occurred) : Number.NaN;
      const attributes: Record<string, JsonValue> = {};
      for (const [name, expr] of Object.entries(m.attributes ?? {})) {
        const value = safeEval(expr, data);
        if (value !== undefined) attributes[name] = value;
      }
      out.push({
        process: l.process,
        key: String(key),
        observed: {
          milestone: m.id,
          entry: {
            id: `${run.id}:${what.kind === 'step' ? what.step.index : 'end'}:${m.id}`,
            milestone: m.id,
            occurredAt: new Date(Number.isNaN(occurredMs) ? endedAt : occurredMs).toISOString(),
            recordedAt: new Date(now).toISOString(),
            flowId: run.flowId,
            runId: run.id,
            ...(what.kind === 'step'
              ? { stepIndex: what.step.index, nodeId: what.step.nodeId }
              : {}),
            attributes,
            latencyMs: Math.max(0, now - run.createdAt),
          },
        },
      });
    }
    return out;
  }
}

function listens(l: Listener, what: Observation): boolean {
  if (what.kind === 'end') return l.runStatus === what.status;
  if (l.node === undefined || l.node !== what.step.nodeId) return false;
  if (what.step.status !== 'succeeded') return false;
  return l.port === undefined || what.step.ports.includes(l.port);
}

/** `{trigger, input, output, keys, run}`: `output` is the message sent out of the port. */
function stepData(run: ObservedRun, what: Observation, port: string | undefined): JsonValue {
  const base = {
    trigger: run.trigger,
    keys: run.businessKeys,
    run: { id: run.id, flowId: run.flowId, createdAt: new Date(run.createdAt).toISOString() },
  };
  if (what.kind === 'end') return { ...base, status: what.status };
  const emissions = what.step.output ?? [];
  const out = emissions.find((e) => (port === undefined ? true : e.port === port));
  return { ...base, input: what.step.input, output: (out?.payload as JsonValue) ?? null };
}

function safeEval(expr: JsonValue, data: JsonValue): JsonValue | undefined {
  try {
    return evaluate(expr, data) as JsonValue;
  } catch {
    return undefined;
  }
}

function safeTruthy(expr: JsonValue, data: JsonValue): boolean {
  try {
    return truthy(evaluate(expr, data));
  } catch {
    return false;
  }
}
