import {
  type ConnectionRateLimit,
  TransientError,
  type TransportCapabilities,
  type TransportKind,
} from '@crossdock/nodes';
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
        const client = await abortable(pool.client(connection), signal);
        const method = client.capability[operation] as (...p: unknown[]) => Promise<unknown>;
        return await abortable(method.apply(client.capability, params), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw classify(connection.name, kind, error);
      }
    };
  }
  return gated as unknown as TransportCapabilities[K];
}
