import type {
  FlowDocument,
  FlowNode,
  NodeManifest,
  RetryPolicy,
  SerializedError,
} from '@crossdock/nodes';

/**
 * Used when neither the node, the flow nor the node type says otherwise: about two minutes of
 * backoff (1, 2, 4 … 60 s). Outages longer than that are ridden out by the connection's circuit
 * breaker, whose waits do not count as attempts.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 8,
  backoff: { initialMs: 1_000, multiplier: 2, maxMs: 60_000, jitter: 0.2 },
};

/** Node override, else flow default, else the node type's defaults, else the runtime's. */
export function resolveRetryPolicy(
  flow: FlowDocument,
  node: FlowNode,
  manifest: NodeManifest,
): RetryPolicy {
  if (node.retry) return node.retry;
  if (flow.settings.retry) return flow.settings.retry;
  return {
    maxAttempts: manifest.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    backoff: { ...DEFAULT_RETRY.backoff, ...manifest.retry?.backoff },
  };
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * Whether attempt `attempt` (1-based) that failed with `error` is tried again, and after how
 * long: exponential backoff capped at `maxMs`, with `jitter` of it randomised by `random`
 * (0..1), never sooner than the server's Retry-After. Only transient errors are retried.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  error: SerializedError,
  random: number,
): RetryDecision {
  if (!error.retryable || error.errorClass !== 'transient') return { retry: false };
  if (attempt >= policy.maxAttempts) return { retry: false };
  const { initialMs, multiplier, maxMs, jitter } = policy.backoff;
  const base = Math.min(maxMs, initialMs * multiplier ** (attempt - 1));
  const r = Math.min(1, Math.max(0, random));
  const jittered = Math.round(base * (1 - jitter) + base * jitter * r);
  const delay = Math.min(maxMs, jittered);
  return { retry: true, delayMs: Math.max(delay, error.retryAfterMs ?? 0) };
}
