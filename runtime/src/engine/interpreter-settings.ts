import {
  type Expression,
  evaluate,
  type FlowDocument,
  type FlowNode,
  type JsonValue,
} from '@crossdock/nodes';

/** What a flow's settings say about one trigger payload. */
export interface TriggerKeys {
  idempotencyKey: string | undefined;
  orderingKey: string | undefined;
  businessKeys: Record<string, string>;
}

function keyString(value: JsonValue): string | undefined {
  if (value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function evaluateKey(expression: Expression, payload: JsonValue): string | undefined {
  return keyString(evaluate(expression, payload));
}

/**
 * Evaluates the idempotency, ordering and business keys over a trigger payload. A key that
 * evaluates to null or "" is absent (the run is not deduplicated / not indexed under it).
 * Throws a `PermanentError` (expression-failed) when an expression fails.
 */
export function triggerKeys(flow: FlowDocument, payload: JsonValue): TriggerKeys {
  const { idempotencyKey, orderingKey, businessKeys } = flow.settings;
  const keys: Record<string, string> = {};
  for (const [name, expression] of Object.entries(businessKeys ?? {})) {
    const value = evaluateKey(expression, payload);
    if (value !== undefined) keys[name] = value;
  }
  return {
    idempotencyKey: idempotencyKey === undefined ? undefined : evaluateKey(idempotencyKey, payload),
    orderingKey: orderingKey === undefined ? undefined : evaluateKey(orderingKey, payload),
    businessKeys: keys,
  };
}

/** The longest one attempt of `node` may take. */
export function nodeTimeoutMs(flow: FlowDocument, node: FlowNode, fallbackMs: number): number {
  return node.timeoutMs ?? flow.settings.nodeTimeoutMs ?? fallbackMs;
}

/** One week: longer than any partner's resend window we know of. */
export const DEFAULT_DEDUPE_WINDOW_MS = 7 * 24 * 3600_000;

export function dedupeWindowMs(flow: FlowDocument): number {
  return flow.settings.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
}

/**
 * What a run's step idempotency keys are built from: the flow's idempotency key when the trigger
 * has one (the same business event gets the same downstream keys in any run, a redelivery after
 * the dedupe window or a replay from the start included), else the run id. A replay keeps the
 * base of the run it replays.
 */
export function stepKeyBase(flowId: string, idempotencyKey: string | undefined, runId: string) {
  return idempotencyKey !== undefined ? `${flowId}:${idempotencyKey}` : runId;
}

/**
 * The idempotency key a step sends with its side effects: the same for every attempt and
 * redelivery of the step (the message id is saved in the checkpoint), different for any other.
 */
export function stepIdempotencyKey(base: string, nodeId: string, messageId: string): string {
  return `${base}:${nodeId}:${messageId}`;
}
