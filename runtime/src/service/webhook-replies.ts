import { isJsonObject, type JsonValue, type WebhookReply } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';

/** What a waiting webhook caller learns about its run. */
export type ReplyOutcome =
  /** The flow's `flow.respond` node answered. */
  | { kind: 'reply'; reply: WebhookReply }
  /** The run ended without answering: the caller gets 202 at once instead of at the timeout. */
  | { kind: 'ended' }
  /** Nothing within the timeout, the caller left, or too many callers already wait. */
  | { kind: 'none'; why: 'timeout' | 'gone' | 'busy' };

/**
 * Stores the first answer of a run (SET NX) and, only if it was the first, publishes it: a
 * waiter that subscribed before sees the message, one that subscribes later reads the key.
 */
const PUBLISH_FIRST = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('PUBLISH', KEYS[1], ARGV[1])
  return 1
end
return 0`;

/**
 * Request-reply between processes: a worker publishes a run's answer on a per-run Redis key and
 * channel (`<prefix>:cd:reply:<runId>`), and the API process holding the caller's connection
 * waits on it. Nothing is held for a run nobody waits on beyond the key's short expiry.
 */
export class WebhookReplies {
  private subscriber: Redis | undefined;
  private readonly waiting = new Map<string, (outcome: ReplyOutcome) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    /** How long an answer is kept for a waiter that subscribes late (at least the longest wait). */
    private readonly keepMs: number,
    /** Callers that may wait at once in this process; more get 202 at once (no hostile pile-up). */
    private readonly maxWaiting: number,
  ) {}

  /** The worker side: answers the run's caller; false when the run was answered before. */
  async publish(runId: string, reply: WebhookReply): Promise<boolean> {
    return this.store(runId, { reply: reply as unknown as JsonValue });
  }

  /** The worker side: the run ended; a caller still waiting gets 202 now (ignored after a reply). */
  async ended(runId: string): Promise<void> {
    await this.store(runId, { ended: true });
  }

  private async store(runId: string, value: JsonValue): Promise<boolean> {
    const done = await this.redis.eval(
      PUBLISH_FIRST,
      1,
      this.keys.reply(runId),
      JSON.stringify(value),
      String(this.keepMs),
    );
    return done === 1;
  }

  /** Callers waiting in this process now. */
  get size(): number {
    return this.waiting.size;
  }

  /**
   * The API side: waits up to `timeoutMs` for the run's answer. `signal` aborts when the caller
   * disconnects: the wait ends and its subscription is dropped at once.
   */
  async wait(runId: string, timeoutMs: number, signal: AbortSignal): Promise<ReplyOutcome> {
    if (signal.aborted) return { kind: 'none', why: 'gone' };
    const channel = this.keys.reply(runId);
    if (this.waiting.size >= this.maxWaiting || this.waiting.has(channel))
      return { kind: 'none', why: 'busy' };
    const subscriber = this.connect();
    let settle: (outcome: ReplyOutcome) => void = () => {};
    const settled = new Promise<ReplyOutcome>((resolve) => {
      settle = resolve;
    });
    this.waiting.set(channel, settle);
    const timer = setTimeout(() => settle({ kind: 'none', why: 'timeout' }), timeoutMs);
    const onAbort = () => settle({ kind: 'none', why: 'gone' });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await subscriber.subscribe(channel);
      // Answered before the subscription: the key holds it.
      const stored = await this.redis.get(channel);
      if (stored !== null) settle(parseOutcome(stored));
      return await settled;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.waiting.delete(channel);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  private connect(): Redis {
    if (this.subscriber) return this.subscriber;
    // A subscribed connection can do nothing else: one per process, made on the first wait.
    const subscriber = this.redis.duplicate({ enableAutoPipelining: false });
    subscriber.on('message', (channel: string, message: string) => {
      this.waiting.get(channel)?.(parseOutcome(message));
    });
    subscriber.on('error', () => {
      // Reconnects on its own (ioredis resubscribes); waiters fall back to 202 at their timeout.
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  /** Ends every wait (they answer 202) and closes the subscriber connection. */
  close(): void {
    for (const settle of this.waiting.values()) settle({ kind: 'none', why: 'gone' });
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}

/** Parses a stored answer once; anything unexpected counts as no answer. */
export function parseOutcome(raw: string): ReplyOutcome {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: 'ended' };
  }
  if (!isJsonObject(value) || !isJsonObject(value.reply)) return { kind: 'ended' };
  const { status, headers, body } = value.reply;
  if (typeof status !== 'number' || !isJsonObject(headers)) return { kind: 'ended' };
  const strings: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) if (typeof v === 'string') strings[name] = v;
  return { kind: 'reply', reply: { status, headers: strings, body: body ?? null } };
}
