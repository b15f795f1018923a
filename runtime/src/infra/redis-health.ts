import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from './logger';

/** Error codes meaning "Redis is not there (yet)", as opposed to a command that failed. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** True for an error that says the connection to Redis is down rather than a command failed. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && /Connection is closed|connect ETIMEDOUT/.test(e.message);
}

/**
 * Listens for the 'error' events of a BullMQ queue or worker. BullMQ prints an error nobody
 * listens to as a raw stack on stderr; Redis being down is already reported once by
 * RedisHealth, so only other errors are logged, as one line without a stack.
 */
export function reportQueueErrors(
  emitter: { on(event: 'error', listener: (error: Error) => void): unknown },
  log: Logger,
  what: string,
): void {
  emitter.on('error', (error) => {
    if (isConnectionError(error)) return;
    log.warn({ err: { type: error.name, message: error.message } }, `${what}: Redis error`);
  });
}

/** The URL without its password, for messages. */
export function displayRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Reconnect delays: 250 ms doubling to 10 s, for as long as it takes. */
export function redisRetryDelay(attempt: number): number {
  return Math.min(250 * 2 ** Math.max(0, attempt - 1), 10_000);
}

/** What to do, in one sentence, when Redis at `url` does not answer. */
export function redisAdvice(url: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const why =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'its host name does not resolve'
      : code === 'ECONNREFUSED'
        ? 'nothing listens there'
        : `it does not answer (${(error as Error | null)?.message ?? String(error)})`;
  return `Redis at ${displayRedisUrl(url)} is not reachable: ${why}. Is REDIS_URL right, and is Redis running? Start one with \`redis-server\` (or \`docker run -p 6379:6379 redis:7\`), or unset REDIS_URL and use \`pnpm start\`, which starts a local one. Retrying in the background; /readyz answers 503 until Redis is back.`;
}

/**
 * Watches the runtime's Redis clients: the first connection failure is logged once, with what to
 * do; later failures are quiet (debug) while ioredis reconnects with backoff; reconnecting is
 * logged once. Without an `error` listener ioredis prints "Unhandled error event" per attempt.
 */
export class RedisHealth {
  private down = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  /** Options for a client this watcher will watch (quiet backoff that never gives up). */
  options(extra: RedisOptions = {}): RedisOptions {
    return { retryStrategy: redisRetryDelay, ...extra };
  }

  watch(client: Redis): Redis {
    client.on('error', (error: unknown) => this.failed(error));
    client.on('ready', () => this.recovered());
    return client;
  }

  /** Called with any error a client or BullMQ reports; true when it was a connection error. */
  failed(error: unknown): boolean {
    if (!isConnectionError(error)) return false;
    if (this.down) {
      this.log.debug({ err: error }, 'Redis still not reachable');
      return true;
    }
    this.down = true;
    this.log.error(
      { redisUrl: displayRedisUrl(this.url), code: (error as { code?: unknown }).code },
      redisAdvice(this.url, error),
    );
    return true;
  }

  private recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ redisUrl: displayRedisUrl(this.url) }, 'Redis is reachable again');
  }
}
