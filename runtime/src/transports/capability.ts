import {
  type ConnectionRateLimit,
  TransientError,
  type TransportCapabilities,
  type TransportKind,
} from '@crossdock/nodes';
import type { CallOutcome, ConnectionGuard, GuardPolicy } from '../context/connection-guard';
import type { NotSentRequest } from '../context/dry-run';
import type { RateLimiter } from '../context/rate-limiter';
import type { NamedConnection } from './adapter';
import type { TransportPool } from './pool';
import { forbiddenHost } from './target';

/** What one step's `ctx.transport(kind)` is built from. */
export interface CapabilityArgs<K extends TransportKind> {
  pool: TransportPool;
  limiter: RateLimiter;
  connection: NamedConnection<K>;
  signal: AbortSignal;
  /** Set in a safe test run: operations are recorded here and never sent. */
  notSent?: NotSentRequest[];
  /** The connection's circuit breaker and concurrency limit, shared with every kind. */
  guard?: { guard: ConnectionGuard; policy: GuardPolicy; defer?: (until: number) => void };
}

/** How a non-HTTP operation counts for the breaker: any failure but an abort is the system's. */
function transportOutcome(
  result: { value: unknown } | { error: unknown },
  signal: AbortSignal,
): CallOutcome {
  if ('value' in result) return 'ok';
  if (signal.aborted) return 'neutral';
  const error = result.error as { errorClass?: unknown; code?: unknown };
  // A permanent refusal (a forbidden address, a rejected statement) says nothing of the system's health.
  return error?.errorClass === 'permanent' ? 'neutral' : 'failed';
}

/** A failure at the edge as a node error: refused address permanent, anything else transient. */
function classify(connection: string, kind: TransportKind, error: unknown): Error {
  // Already classified (a Crossdock error, by its shape: it may come from another module copy).
  if (error instanceof Error && typeof (error as { errorClass?: unknown }).errorClass === 'string')
    return error;
  const refused = forbiddenHost(connection, error);
  if (refused) return refused;
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError('network', `${kind} connection "${connection}": ${message}`, {
    cause: error,
  });
}

/** Rejects when the step is aborted (timeout, shutdown), whatever the operation is doing. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * The capability a step gets for its connection's kind. Every operation goes through the same
 * gate whatever the kind: the connection's rate limit (shared by all workers), the pooled client
 * (address-checked when opened), the step's abort signal and error classification. In a safe
 * test run the adapter's `dryRun` capability answers and records instead.
 */
export function stepCapability<K extends TransportKind>(
  args: CapabilityArgs<K>,
): TransportCapabilities[K] {
  const { pool, connection, signal } = args;
  const kind = connection.kind as K;
  const adapter = pool.adapter(kind);
  if (args.notSent) {
    const sink = args.notSent;
    return adapter.dryRun(connection, (operation) => sink.push(operation));
  }
  const limit: ConnectionRateLimit | undefined = connection.rateLimit;
  const gated: Record<string, (...params: unknown[]) => Promise<unknown>> = {};
  for (const operation of adapter.operations) {
    gated[operation] = async (...params: unknown[]) => {
      try {
        if (limit) await args.limiter.acquire(connection.name, limit, signal);
        const send = async () => {
          const client = await abortable(pool.client(connection), signal);
          const method = client.capability[operation] as (...p: unknown[]) => Promise<unknown>;
          return await abortable(method.apply(client.capability, params), signal);
        };
        const guarded = args.guard;
        if (!guarded) return await send();
        return await guarded.guard.call(
          connection.name,
          guarded.policy,
          guarded.defer,
          async () => {
            try {
              return await send();
            } catch (error) {
              throw signal.aborted ? error : classify(connection.name, kind, error);
            }
          },
          (result) => transportOutcome(result, signal),
        );
      } catch (error) {
        if (signal.aborted) throw error;
        throw classify(connection.name, kind, error);
      }
    };
  }
  return gated as unknown as TransportCapabilities[K];
}
