import {
  type Catalog,
  ERROR_PORT,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type JsonValue,
  type MessageMeta,
  type NodeManifest,
  type NodeResult,
  type SerializedError,
  TIMER_PORT,
} from '@crossdock/nodes';
import { type RetryDecision, resolveRetryPolicy, retryDelayMs } from './interpreter-retry';
import type { PendingMessage, RunCheckpoint } from './run-types';

/**
 * The pure flow interpreter: given a flow, the catalog and a step's result, it decides what runs
 * next. It never touches Redis, the clock or randomness; callers pass `now` and `random` in.
 */
export interface FlowPlan {
  flow: FlowDocument;
  nodes: ReadonlyMap<string, FlowNode>;
  manifests: ReadonlyMap<string, NodeManifest>;
  /** Edges leaving `<nodeId>\u0000<port>`. */
  edgesFrom: ReadonlyMap<string, readonly FlowEdge[]>;
  triggers: readonly FlowNode[];
}

const portKey = (nodeId: string, port: string): string => `${nodeId}\u0000${port}`;

/** Indexes a (validated) flow once, so every step looks edges up in constant time. */
export function planFlow(flow: FlowDocument, catalog: Catalog): FlowPlan {
  const nodes = new Map<string, FlowNode>();
  const manifests = new Map<string, NodeManifest>();
  for (const node of flow.nodes) {
    nodes.set(node.id, node);
    const manifest = catalog.get(node.type);
    if (!manifest) throw new Error(`Node "${node.id}" has the unknown type "${node.type}".`);
    manifests.set(node.id, manifest);
  }
  const edgesFrom = new Map<string, FlowEdge[]>();
  for (const edge of flow.edges) {
    const key = portKey(edge.source, edge.sourcePort);
    const list = edgesFrom.get(key);
    if (list) list.push(edge);
    else edgesFrom.set(key, [edge]);
  }
  const triggers = flow.nodes.filter((n) => manifests.get(n.id)?.category === 'trigger');
  return { flow, nodes, manifests, edgesFrom, triggers };
}

function nextId(cp: RunCheckpoint): string {
  cp.seq += 1;
  return `m${cp.seq}`;
}

/**
 * The checkpoint a new run starts from: the trigger payload delivered to the trigger node (the
 * given one, e.g. the webhook that was called, else the first trigger of the flow).
 */
export function startCheckpoint(
  plan: FlowPlan,
  payload: JsonValue,
  correlationId: string,
  triggerNodeId?: string,
): RunCheckpoint {
  const trigger =
    (triggerNodeId !== undefined ? plan.nodes.get(triggerNodeId) : undefined) ?? plan.triggers[0];
  if (!trigger) throw new Error(`The flow "${plan.flow.id}" has no trigger node.`);
  const cp: RunCheckpoint = { seq: 0, steps: 0, pending: [] };
  cp.pending.push({
    id: nextId(cp),
    nodeId: trigger.id,
    port: 'in',
    payload,
    meta: { correlationId, splits: [] },
    attempt: 1,
  });
  return cp;
}

/**
 * A checkpoint that starts at one node with one message (replay from a step). With `resume`,
 * the message keeps the original step's id (so the step sends the same idempotency key) and
 * later messages are numbered after the original run's.
 */
export function checkpointAt(
  plan: FlowPlan,
  nodeId: string,
  port: string,
  payload: JsonValue,
  meta: MessageMeta,
  resume?: { messageId?: string; seq: number },
): RunCheckpoint {
  if (!plan.nodes.has(nodeId)) throw new Error(`The flow has no node "${nodeId}".`);
  const cp: RunCheckpoint = { seq: resume?.seq ?? 0, steps: 0, pending: [] };
  const id = resume?.messageId ?? nextId(cp);
  cp.pending.push({ id, nodeId, port, payload, meta, attempt: 1 });
  return cp;
}

export type NextPick =
  | { kind: 'run'; index: number }
  | { kind: 'wait'; until: number }
  | { kind: 'done' };

/** The next message that may run at `now` (oldest first), or how long to wait for one. */
export function pickNext(cp: RunCheckpoint, now: number): NextPick {
  if (cp.pending.length === 0) return { kind: 'done' };
  let until = Number.POSITIVE_INFINITY;
  for (let i = 0; i < cp.pending.length; i++) {
    const m = cp.pending[i] as PendingMessage;
    if (m.notBefore === undefined || m.notBefore <= now) return { kind: 'run', index: i };
    until = Math.min(until, m.notBefore);
  }
  return { kind: 'wait', until };
}

/** Messages for every edge that leaves `nodeId` by `port`. */
function follow(
  plan: FlowPlan,
  cp: RunCheckpoint,
  from: PendingMessage,
  port: string,
  payload: JsonValue,
  meta: MessageMeta,
  notBefore: number | undefined,
): PendingMessage[] {
  const edges = plan.edgesFrom.get(portKey(from.nodeId, port)) ?? [];
  return edges.map((edge) => ({
    id: nextId(cp),
    nodeId: edge.target,
    port: edge.targetPort,
    payload,
    meta,
    attempt: 1,
    ...(notBefore !== undefined ? { notBefore } : {}),
  }));
}

/**
 * Applies a successful step: removes the message, queues its emissions along the edges (later,
 * when the node asked for a delay) and returns the ports taken.
 */
export function applySuccess(
  plan: FlowPlan,
  cp: RunCheckpoint,
  index: number,
  result: NodeResult,
  now: number,
): string[] {
  const [message] = cp.pending.splice(index, 1);
  if (!message) throw new Error(`No pending message at ${index}.`);
  cp.steps += 1;
  const notBefore =
    result.delayMs !== undefined && result.delayMs > 0 ? now + result.delayMs : undefined;
  const ports: string[] = [];
  for (const emission of result.emissions) {
    ports.push(emission.port);
    const meta: MessageMeta = {
      correlationId: message.meta.correlationId,
      splits: emission.splits ?? message.meta.splits,
    };
    cp.pending.push(...follow(plan, cp, message, emission.port, emission.payload, meta, notBefore));
  }
  return ports;
}

/** Registers a timer: the node is called again on `$timer`; the same key replaces the old one. */
export function addTimer(
  cp: RunCheckpoint,
  from: PendingMessage,
  key: string,
  afterMs: number,
  now: number,
): void {
  cp.pending = cp.pending.filter((m) => !(m.nodeId === from.nodeId && m.timerKey === key));
  cp.pending.push({
    id: nextId(cp),
    nodeId: from.nodeId,
    port: TIMER_PORT,
    payload: { key },
    meta: from.meta,
    attempt: 1,
    notBefore: now + Math.max(0, afterMs),
    timerKey: key,
  });
}

export type FailureOutcome =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'routed'; ports: string[] }
  | { kind: 'failed' };

/**
 * Applies a failed attempt: retries transient errors while attempts remain (the message stays,
 * with the next attempt number and a backoff), then routes the error out of the node's `error`
 * port when it is connected, else the run fails (the message stays for a replay).
 */
export function applyFailure(
  plan: FlowPlan,
  cp: RunCheckpoint,
  index: number,
  error: SerializedError,
  now: number,
  random: number,
): FailureOutcome {
  const message = cp.pending[index];
  if (!message) throw new Error(`No pending message at ${index}.`);
  const node = plan.nodes.get(message.nodeId);
  const manifest = plan.manifests.get(message.nodeId);
  if (!node || !manifest) throw new Error(`The flow has no node "${message.nodeId}".`);
  cp.steps += 1;
  const policy = resolveRetryPolicy(plan.flow, node, manifest);
  const decision: RetryDecision = retryDelayMs(policy, message.attempt, error, random);
  if (decision.retry) {
    message.attempt += 1;
    message.notBefore = now + decision.delayMs;
    return { kind: 'retry', delayMs: decision.delayMs };
  }
  const errorEdges = plan.edgesFrom.get(portKey(message.nodeId, ERROR_PORT)) ?? [];
  if (errorEdges.length > 0) {
    cp.pending.splice(index, 1);
    const payload = { error: { ...error }, input: message.payload, nodeId: message.nodeId };
    cp.pending.push(
      ...follow(
        plan,
        cp,
        message,
        ERROR_PORT,
        payload as unknown as JsonValue,
        message.meta,
        undefined,
      ),
    );
    return { kind: 'routed', ports: [ERROR_PORT] };
  }
  return { kind: 'failed' };
}
