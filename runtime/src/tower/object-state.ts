import {
  durationMs,
  evaluate,
  type JsonValue,
  type ProcessDocument,
  type ProcessSeverity,
  truthy,
} from '@crossdock/nodes';

/** One milestone on an object's timeline, linked to the run and step that produced it. */
export interface TimelineEntry {
  /** `<run id>:<step index>` or `<run id>:end`: a step observed twice is recorded once. */
  id: string;
  milestone: string;
  occurredAt: string;
  recordedAt: string;
  flowId: string;
  runId: string;
  stepIndex?: number;
  nodeId?: string;
  attributes: Record<string, JsonValue>;
  /** Milliseconds from the run's trigger to the milestone being recorded. */
  latencyMs?: number;
}

export interface OpenExpectation {
  expectation: string;
  since: string;
  deadline: string;
}

export interface BreachAck {
  by: string;
  at: string;
  comment: string;
}

export interface Breach {
  /** `<expectation id>:<deadline epoch ms>`: a deadline breaches once. */
  id: string;
  expectation: string;
  name: string;
  owner: string;
  severity: ProcessSeverity;
  since: string;
  deadline: string;
  breachedAt: string;
  /** open until acknowledged; resolved when the expected milestone arrives after all. */
  status: 'open' | 'acknowledged' | 'resolved';
  resolvedAt?: string;
  ack?: BreachAck;
  escalation?: { runId?: string; notified?: boolean; error?: string };
}

export interface FailedCheck {
  check: string;
  name: string;
  owner: string;
  severity: ProcessSeverity;
  at: string;
  /** The attributes the rule saw, per milestone. */
  values: Record<string, Record<string, JsonValue>>;
}

/** What the control tower knows about one business object (an order, a shipment, an ASN). */
export interface ObjectState {
  process: string;
  key: string;
  /** The furthest milestone recorded, in the process's order. */
  stage: string;
  stageSince: string;
  firstAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  open: OpenExpectation[];
  breaches: Breach[];
  failedChecks: FailedCheck[];
}

/** A milestone observed on a step, before it is placed on an object. */
export interface ObservedMilestone {
  milestone: string;
  entry: TimelineEntry;
}

/** What a state change means for the indexes and the deadline schedule. */
export interface StateChange {
  state: ObjectState;
  changed: boolean;
  /** Breaches this change raised (to escalate once). */
  raised: Breach[];
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return (
    Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.recordedAt.localeCompare(b.recordedAt)
  );
}

function latestAttributes(state: ObjectState): Record<string, Record<string, JsonValue>> {
  const out: Record<string, Record<string, JsonValue>> = {};
  for (const e of state.timeline) out[e.milestone] = e.attributes;
  return out;
}

/**
 * Places a milestone on an object (by when it happened, not when it arrived) and derives the
 * stage, the open expectations and the checks again. Pure: the same inputs give the same state.
 */
export function recordMilestone(
  process: ProcessDocument,
  previous: ObjectState | undefined,
  key: string,
  observed: ObservedMilestone,
  now: number,
): StateChange {
  if (previous?.timeline.some((e) => e.id === observed.entry.id))
    return { state: previous, changed: false, raised: [] };
  const nowIso = new Date(now).toISOString();
  const state: ObjectState = previous
    ? structuredClone(previous)
    : {
        process: process.id,
        key,
        stage: observed.milestone,
        stageSince: observed.entry.occurredAt,
        firstAt: observed.entry.occurredAt,
        updatedAt: nowIso,
        timeline: [],
        open: [],
        breaches: [],
        failedChecks: [],
      };
  state.timeline.push(observed.entry);
  state.timeline.sort(byTime);
  state.updatedAt = nowIso;
  state.firstAt = state.timeline[0]?.occurredAt ?? state.firstAt;
  deriveStage(process, state);
  deriveExpectations(process, state, nowIso);
  deriveChecks(process, state, observed.milestone, nowIso);
  return { state, changed: true, raised: [] };
}

function deriveStage(process: ProcessDocument, state: ObjectState): void {
  const order = new Map(process.milestones.map((m, i) => [m.id, i]));
  let best = -1;
  for (const e of state.timeline) best = Math.max(best, order.get(e.milestone) ?? -1);
  const stage = process.milestones[best]?.id;
  if (stage === undefined) return;
  const first = state.timeline.find((e) => e.milestone === stage);
  state.stage = stage;
  state.stageSince = first?.occurredAt ?? state.stageSince;
}

function deriveExpectations(process: ProcessDocument, state: ObjectState, nowIso: string): void {
  const recorded = new Map<string, TimelineEntry>();
  for (const e of state.timeline) if (!recorded.has(e.milestone)) recorded.set(e.milestone, e);
  const open: OpenExpectation[] = [];
  for (const x of process.expectations) {
    const after = recorded.get(x.after);
    const closed = recorded.has(x.expect) || (x.unless ?? []).some((u) => recorded.has(u));
    for (const b of state.breaches) {
      if (b.expectation === x.id && closed && b.status !== 'resolved') {
        b.status = 'resolved';
        b.resolvedAt = nowIso;
      }
    }
    if (!after || closed) continue;
    if (state.breaches.some((b) => b.expectation === x.id)) continue;
    const since = Date.parse(after.occurredAt);
    const deadline = new Date(since + (durationMs(x.within) ?? 0)).toISOString();
    open.push({ expectation: x.id, since: after.occurredAt, deadline });
  }
  state.open = open;
}

function deriveChecks(
  process: ProcessDocument,
  state: ObjectState,
  milestone: string,
  nowIso: string,
): void {
  const values = latestAttributes(state);
  for (const c of process.checks) {
    if (!c.requires.includes(milestone)) continue;
    if (!c.requires.every((r) => r in values)) continue;
    const data = Object.fromEntries(c.requires.map((r) => [r, values[r] ?? {}]));
    let passed: boolean;
    try {
      passed = truthy(evaluate(c.rule, data as JsonValue));
    } catch {
      passed = false;
    }
    state.failedChecks = state.failedChecks.filter((f) => f.check !== c.id);
    if (!passed) {
      state.failedChecks.push({
        check: c.id,
        name: c.name,
        owner: c.owner,
        severity: c.severity,
        at: nowIso,
        values: data,
      });
    }
  }
}

/**
 * A deadline has passed: the expectation becomes a breach, once. Returns no change when the
 * expected milestone arrived meanwhile or the deadline moved (an earlier milestone came late).
 */
export function breachDeadline(
  process: ProcessDocument,
  previous: ObjectState,
  expectationId: string,
  now: number,
): StateChange {
  const open = previous.open.find((o) => o.expectation === expectationId);
  const x = process.expectations.find((e) => e.id === expectationId);
  if (!open || !x || Date.parse(open.deadline) > now)
    return { state: previous, changed: false, raised: [] };
  const id = `${x.id}:${Date.parse(open.deadline)}`;
  if (previous.breaches.some((b) => b.id === id))
    return { state: previous, changed: false, raised: [] };
  const state = structuredClone(previous);
  const nowIso = new Date(now).toISOString();
  const breach: Breach = {
    id,
    expectation: x.id,
    name: x.name,
    owner: x.owner,
    severity: x.severity,
    since: open.since,
    deadline: open.deadline,
    breachedAt: nowIso,
    status: 'open',
  };
  state.breaches.push(breach);
  state.open = state.open.filter((o) => o.expectation !== expectationId);
  state.updatedAt = nowIso;
  return { state, changed: true, raised: [breach] };
}

/** An operator acknowledges a breach with a comment; `undefined` when there is no such breach. */
export function acknowledgeBreach(
  previous: ObjectState,
  breachId: string,
  ack: BreachAck,
): ObjectState | undefined {
  const found = previous.breaches.find((b) => b.id === breachId);
  if (!found) return undefined;
  const state = structuredClone(previous);
  const breach = state.breaches.find((b) => b.id === breachId) as Breach;
  breach.ack = ack;
  if (breach.status === 'open') breach.status = 'acknowledged';
  state.updatedAt = ack.at;
  return state;
}

export function hasOpenBreach(state: ObjectState): boolean {
  return state.breaches.some((b) => b.status === 'open');
}
