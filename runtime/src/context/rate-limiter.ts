import type { ConnectionRateLimit } from '@crossdock/nodes';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';

/**
 * A fixed-window request budget per connection, counted in Redis so that every worker process
 * shares it. `acquire` waits for the next window when this one is spent.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly now: () => number,
  ) {}

  /** Resolves once a request may go, with the index of the window that admitted it. */
  async acquire(
    connection: string,
    limit: ConnectionRateLimit,
    signal: AbortSignal,
  ): Promise<number> {
    for (;;) {
      signal.throwIfAborted();
      const now = this.now();
      const window = Math.floor(now / limit.windowMs);
      const key = this.keys.rate(connection, window);
      const [[, count]] = (await this.redis
        .multi()
        .incr(key)
        .pexpire(key, limit.windowMs * 2)
        .exec()) as [[null, number], [null, number]];
      if (count <= limit.max) return window;
      const waitMs = (window + 1) * limit.windowMs - now + Math.floor(Math.random() * 10);
      // The step's abort (its timeout, shutdown) ends the wait, not only the next round.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
