import { randomUUID } from 'node:crypto';
import { type Connection, type FetchResponse, TransientError } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import type { Keys } from '../store/keys';

/**
 * Outage-aware calls to a connection, for every connection kind (HTTP, brokers, databases,
 * SFTP): a circuit breaker and a concurrency limit per connection name, kept in Redis so every
 * worker process shares them. A call that may not go now is *deferred*: the step's run goes back
 * to the queue until the given time, using neither an attempt nor a worker slot meanwhile.
 */

/** How a call ended, as the breaker counts it. */
export type CallOutcome =
  /** The system answered (a 2xx, or a 4xx: it is up, the request was wrong). */
  | 'ok'
  /** The system is in trouble: network error, timeout, 408/429/5xx. */
  | 'failed'
  /** Says nothing about the system (a shutdown abort, a refused address). */
  | 'neutral';

export interface GuardPolicy {
  breaker: { failures: number; openMs: number; maxOpenMs: number } | undefined;
  maxConcurrency: number | undefined;
  /** How long a lease lasts if its process dies mid-call (the call's timeout, plus margin). */
  leaseMs: number;
}

/** Open for 5 s at a time; `maxOpenMs` above `openMs` makes each failed half-open round double it. */
export const DEFAULT_BREAKER = { failures: 5, openMs: 5_000 } as const;

/** The policy a connection's environment entry asks for; the breaker is on unless turned off. */
export function guardPolicy(connection: Connection, callTimeoutMs: number): GuardPolicy {
  const cb = connection.circuitBreaker;
  const breaker =
    cb?.enabled === false
      ? undefined
      : {
          failures: cb?.failures ?? DEFAULT_BREAKER.failures,
          openMs: cb?.openMs ?? DEFAULT_BREAKER.openMs,
          maxOpenMs: Math.max(
            cb?.openMs ?? DEFAULT_BREAKER.openMs,
            cb?.maxOpenMs ?? cb?.openMs ?? DEFAULT_BREAKER.openMs,
          ),
        };
  return { breaker, maxConcurrency: connection.maxConcurrency, leaseMs: callTimeoutMs + 5_000 };
}

export type Admission =
  | { admitted: true; release(outcome: CallOutcome): Promise<void> }
  | { admitted: false; reason: 'open' | 'busy'; until: number };

/**
 * Admits one call. KEYS: breaker, leases. ARGV: now, breaker on (1/0), limit (0 = none), lease
 * expiry, token, retry-in for a busy connection, lease ms, probes at once when half-open.
 * Returns {'ok', state} | {'open', until} | {'busy', until}; state is the breaker's as the call
 * found it: 'closed' (no failures counted), 'failing' (closed, failures counted), 'probe'
 * (half-open: this call is a probe) or '' (no breaker).
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local state = ''
if ARGV[2] == '1' then
  local b = redis.call('HMGET', KEYS[1], 'openUntil', 'failures')
  local openUntil = tonumber(b[1] or '0')
  if openUntil > now then return {'open', tostring(openUntil)} end
  if openUntil > 0 then
    -- Half-open: up to ARGV[8] probes at once; the others wait for their answers.
    local probes = tonumber(redis.call('HGET', KEYS[1], 'probes') or '0')
    if tonumber(redis.call('HGET', KEYS[1], 'probeUntil') or '0') <= now then probes = 0 end
    if probes >= tonumber(ARGV[8]) then return {'open', tostring(now + tonumber(ARGV[6]))} end
    redis.call('HSET', KEYS[1], 'probes', probes + 1, 'probeUntil', ARGV[4], 'p:' .. ARGV[5], 1)
    state = 'probe'
  elseif b[2] then
    state = 'failing'
  else
    state = 'closed'
  end
end
local limit = tonumber(ARGV[3])
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= limit then
    if ARGV[2] == '1' and redis.call('HDEL', KEYS[1], 'p:' .. ARGV[5]) == 1 then
      redis.call('HINCRBY', KEYS[1], 'probes', -1)
    end
    return {'busy', tostring(now + tonumber(ARGV[6]))}
  end
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
return {'ok', state}
`;

/**
 * Ends one call. KEYS: breaker, leases. ARGV: token, outcome, now, failures, openMs, maxOpenMs.
 * Returns 'opened' or 'closed' when the breaker changed state, else ''.
 */
const RELEASE = `
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[4] == '0' then return '' end
local now = tonumber(ARGV[3])
local isProbe = redis.call('HDEL', KEYS[1], 'p:' .. ARGV[1]) == 1
if isProbe then redis.call('HINCRBY', KEYS[1], 'probes', -1) end
if ARGV[2] == 'ok' then
  local wasOpen = redis.call('HEXISTS', KEYS[1], 'openUntil') == 1
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DEL', KEYS[1]) end
  if wasOpen then return 'closed' end
  return ''
end
if ARGV[2] == 'neutral' then return '' end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local openUntil = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
local openMs = tonumber(ARGV[5])
local state = ''
if isProbe then
  -- As many probes failed as failures open the breaker: open again, longer up to maxOpenMs.
  if redis.call('HINCRBY', KEYS[1], 'probeFailures', 1) >= tonumber(ARGV[4]) then
    openMs = math.min(tonumber(ARGV[6]), 2 * tonumber(redis.call('HGET', KEYS[1], 'openMs') or ARGV[5]))
    redis.call('HSET', KEYS[1], 'openUntil', now + openMs, 'openMs', openMs, 'probeFailures', 0)
  end
elseif openUntil == 0 and failures >= tonumber(ARGV[4]) then
  redis.call('HSET', KEYS[1], 'openUntil', now + openMs, 'openMs', openMs)
  state = 'opened'
end
redis.call('PEXPIRE', KEYS[1], math.max(openMs, tonumber(ARGV[6])) * 4)
return state
`;

/** Deferred runs come back spread over this much (ms), so a recovered system is not stormed. */
const SPREAD_MS = 1_000;

/**
 * How long a process trusts what it last read of a closed breaker (ms), by default: a breaker
 * another process opens is seen here within this time (or at once, at this process's own next
 * failure).
 */
export const DEFAULT_CLOSED_VIEW_MS = 1_000;

/** What the guard reports, for metrics. */
export interface GuardEvents {
  deferred(connection: string, reason: 'open' | 'busy'): void;
  opened(connection: string): void;
}

export interface GuardOptions {
  /** See `DEFAULT_CLOSED_VIEW_MS`; 0 reads Redis on every call. */
  closedViewMs?: number;
}

interface GuardCommands {
  crossdockGuardAdmit(...args: (string | number)[]): Promise<[string, string?]>;
  crossdockGuardRelease(...args: (string | number)[]): Promise<string>;
}

/**
 * The last closed state this process read of a connection's breaker, trusted until `until`:
 * while it holds, a call is admitted without a round trip, and a success needs no write unless
 * failures are counted (`failing`: it must reset them, since failures open it only in a row).
 */
interface ClosedView {
  until: number;
  failing: boolean;
}

export class ConnectionGuard {
  private readonly closed = new Map<string, ClosedView>();
  private readonly closedViewMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly now: () => number,
    private readonly random: () => number,
    private readonly log: Logger,
    private readonly events?: GuardEvents,
    options: GuardOptions = {},
  ) {
    this.closedViewMs = options.closedViewMs ?? DEFAULT_CLOSED_VIEW_MS;
    // EVALSHA: the scripts' text crosses the wire once per connection, not on every call.
    redis.defineCommand('crossdockGuardAdmit', { numberOfKeys: 2, lua: ADMIT });
    redis.defineCommand('crossdockGuardRelease', { numberOfKeys: 2, lua: RELEASE });
  }

  private get scripts(): GuardCommands {
    return this.redis as unknown as GuardCommands;
  }

  /** Whether a call to `name` may go now; when it may, `release` must follow it. */
  async admit(name: string, policy: GuardPolicy): Promise<Admission> {
    if (!policy.breaker && policy.maxConcurrency === undefined) {
      return { admitted: true, release: async () => {} };
    }
    const now = this.now();
    // A closed breaker and no limit, as read a moment ago: nothing to ask Redis (the common case).
    const view = policy.maxConcurrency === undefined ? this.closed.get(name) : undefined;
    if (view && view.until > now) {
      return { admitted: true, release: (outcome) => this.releaseClosed(name, policy, outcome) };
    }
    const token = randomUUID();
    const spread = Math.floor(SPREAD_MS * (0.25 + 0.75 * this.random()));
    const [verdict, at] = await this.scripts.crossdockGuardAdmit(
      this.keys.breaker(name),
      this.keys.leases(name),
      now,
      policy.breaker ? '1' : '0',
      policy.maxConcurrency ?? 0,
      now + policy.leaseMs,
      token,
      spread,
      policy.leaseMs,
      policy.breaker?.failures ?? 1,
    );
    if (verdict === 'open' || verdict === 'busy') {
      this.closed.delete(name);
      // An open breaker's runs come back spread after it closes, not all at its edge.
      const until = Number(at) + (verdict === 'open' ? spread : 0);
      return { admitted: false, reason: verdict, until };
    }
    if (at === 'closed' || at === 'failing') {
      this.closed.set(name, { until: now + this.closedViewMs, failing: at === 'failing' });
      // Neither a lease nor a probe to give back: released like a call on the closed view.
      if (policy.maxConcurrency === undefined) {
        return { admitted: true, release: (outcome) => this.releaseClosed(name, policy, outcome) };
      }
    } else this.closed.delete(name);
    return {
      admitted: true,
      release: (outcome) => this.release(name, policy, token, outcome),
    };
  }

  /**
   * Ends a call admitted on the closed view, which holds no lease and no probe: a success of a
   * breaker without failures and a neutral outcome change nothing; a failure is counted (and
   * the view dropped, so the next call reads the breaker again).
   */
  private async releaseClosed(name: string, policy: GuardPolicy, outcome: CallOutcome) {
    if (outcome === 'neutral') return;
    if (outcome === 'ok' && this.closed.get(name)?.failing !== true) return;
    await this.release(name, policy, '', outcome);
  }

  private async release(
    name: string,
    policy: GuardPolicy,
    token: string,
    outcome: CallOutcome,
  ): Promise<void> {
    const b = policy.breaker;
    const state = await this.scripts.crossdockGuardRelease(
      this.keys.breaker(name),
      this.keys.leases(name),
      token,
      outcome,
      this.now(),
      b ? b.failures : 0,
      b?.openMs ?? 0,
      b?.maxOpenMs ?? 0,
    );
    if (b && outcome === 'ok' && policy.maxConcurrency === undefined) {
      // A success clears the breaker (failures and all): closed and clean, as far as we know.
      this.closed.set(name, { until: this.now() + this.closedViewMs, failing: false });
    } else if (outcome === 'failed') {
      this.closed.delete(name);
    }
    if (state === 'opened') {
      this.events?.opened(name);
      this.log.warn(
        { connection: name, failures: b?.failures, openMs: b?.openMs },
        'circuit breaker opened: calls to the connection wait in the queue',
      );
    } else if (state === 'closed') {
      this.log.info({ connection: name }, 'circuit breaker closed: the connection answers again');
    }
  }

  /**
   * Runs `call` under the connection's breaker and limit. When it may not go, calls `defer`
   * with the time it may and throws a transient `upstream-unavailable` error (the run loop
   * hands the run back to the queue until then instead of counting an attempt).
   */
  async call<T>(
    name: string,
    policy: GuardPolicy,
    defer: ((until: number) => void) | undefined,
    call: () => Promise<T>,
    outcome: (result: { value: T } | { error: unknown }) => CallOutcome,
  ): Promise<T> {
    const admission = await this.admit(name, policy);
    if (!admission.admitted) {
      this.events?.deferred(name, admission.reason);
      defer?.(admission.until);
      const why =
        admission.reason === 'open'
          ? 'its circuit breaker is open (the system failed repeatedly)'
          : `it has ${policy.maxConcurrency} calls in flight (its maxConcurrency)`;
      throw new TransientError(
        'upstream-unavailable',
        `Connection "${name}" is not called now: ${why}.`,
        {
          retryAfterMs: Math.max(0, admission.until - this.now()),
          details: { connection: name, deferred: admission.reason, until: admission.until },
        },
      );
    }
    let result: { value: T } | { error: unknown };
    try {
      result = { value: await call() };
    } catch (error) {
      result = { error };
    }
    await admission.release(outcome(result)).catch((error: unknown) => {
      // The lease expires by itself; the breaker misses one count.
      this.log.warn({ connection: name, err: error }, 'connection guard release failed');
    });
    if ('error' in result) throw result.error;
    return result.value;
  }
}

/** How an HTTP exchange counts for the breaker. */
export function httpOutcome(
  result: { value: FetchResponse } | { error: unknown },
  signal: AbortSignal,
): CallOutcome {
  if ('value' in result) {
    const s = result.value.status;
    return s >= 500 || s === 429 || s === 408 ? 'failed' : 'ok';
  }
  const reason: unknown = signal.aborted ? signal.reason : undefined;
  // Aborted by a shutdown (not by the step's timeout): the system was not at fault.
  if (reason instanceof TransientError && reason.code === 'aborted') return 'neutral';
  const name = result.error instanceof Error ? result.error.name : '';
  if (name === 'ForbiddenAddressError') return 'neutral';
  return 'failed';
}
