import type { JsonObject, TransportKind } from '@crossdock/nodes';
import type { TransportTarget } from '../adapter';

/** What became of one broker message handed to the intake. */
export type IntakeOutcome =
  /** Its run is durably recorded (or it was a duplicate of one): acknowledge it. */
  | 'accepted'
  /** It can never start a run (a body that does not parse): reject it without requeue. */
  | 'rejected';

/**
 * Hands one message body to the run intake. Waits while the queue is full or Redis is away
 * (back-pressure: the consumer takes nothing more meanwhile) and rejects only when the trigger
 * is stopping, in which case the message must stay unacknowledged (the broker redelivers it).
 */
export type Intake = (body: Uint8Array, messageId?: string) => Promise<IntakeOutcome>;

export interface TriggerStart<K extends TransportKind> {
  flowId: string;
  nodeId: string;
  config: JsonObject;
  /** Resolves the connection's address (network guard) on every (re)connect. */
  target(): Promise<TransportTarget<K>>;
  intake: Intake;
  /** Aborted when the trigger stops (another version, shutdown). */
  signal: AbortSignal;
  /** Shared Redis for coordination between worker processes (MQTT's single holder). */
  lock(key: string, ttlMs: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
}

/**
 * The consuming side of a kind: runs until `signal` aborts, reconnecting when the broker goes
 * away, acknowledging a message only after `intake` accepted it.
 */
export interface TriggerAdapter<K extends TransportKind> {
  type: string;
  kind: K;
  run(start: TriggerStart<K>): Promise<void>;
}

/** Waits `ms`, or less when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `session` again and again until `signal` aborts: a session resolves or rejects when its
 * connection is lost; the next one starts after a growing pause (0.25 s to 5 s). An outage is
 * said once (warn), its further failed attempts at debug level, and its end once (info) when a
 * session calls `connected`: a broker that is down for an hour gives two lines, not 700.
 */
export async function reconnecting(
  signal: AbortSignal,
  log: {
    warn(fields: object, message: string): void;
    info(fields: object, message: string): void;
    debug(fields: object, message: string): void;
  },
  session: (connected: () => void) => Promise<void>,
): Promise<void> {
  let delay = 250;
  let outage: { since: number; attempts: number } | undefined;
  const connected = () => {
    if (!outage) return;
    log.info(
      { downMs: Date.now() - outage.since, attempts: outage.attempts },
      'broker trigger reconnected',
    );
    outage = undefined;
  };
  while (!signal.aborted) {
    const started = Date.now();
    try {
      await session(connected);
    } catch (error) {
      if (signal.aborted) return;
      const err = error instanceof Error ? error.message : String(error);
      if (outage) {
        outage.attempts += 1;
        log.debug({ err, attempts: outage.attempts }, 'broker trigger still not connected');
      } else {
        outage = { since: Date.now(), attempts: 1 };
        log.warn({ err }, 'broker trigger lost its connection; reconnecting (said once)');
      }
    }
    if (signal.aborted) return;
    // A session that ran a while was healthy: start the backoff again from the bottom.
    delay = Date.now() - started > 10_000 ? 250 : Math.min(delay * 2, 5_000);
    await pause(delay, signal);
  }
}
