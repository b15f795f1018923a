import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys';

/** Per-client backoff on failed authentication, shared by every API process through Redis. */
export interface AuthThrottle {
  /** Milliseconds until `client` may present a key again; 0 when it may now. */
  blockedFor(client: string): Promise<number>;
  /** Records a wrong key from `client`; returns the block now in force (0 for none). */
  failed(client: string): Promise<number>;
}

export interface AuthThrottleOptions {
  /** Wrong keys a client may send per window before backoff starts. */
  freeFailures: number;
  /** How long failures are remembered. */
  windowMs: number;
  /** The longest block: backoff doubles from 1 s up to this. */
  maxBlockMs: number;
}

export const AUTH_THROTTLE_DEFAULTS: AuthThrottleOptions = {
  freeFailures: 10,
  windowMs: 15 * 60_000,
  maxBlockMs: 15 * 60_000,
};

/** A client's address, hashed so no caller-chosen text reaches a key name. */
function clientId(client: string): string {
  return createHash('sha256').update(client).digest('hex').slice(0, 16);
}

export function redisAuthThrottle(
  redis: Redis,
  keys: Keys,
  options: AuthThrottleOptions = AUTH_THROTTLE_DEFAULTS,
): AuthThrottle {
  return {
    async blockedFor(client) {
      const ttl = await redis.pttl(keys.authBlock(clientId(client)));
      return Math.max(ttl, 0);
    },
    async failed(client) {
      const id = clientId(client);
      const result = await redis
        .multi()
        .incr(keys.authFailures(id))
        .pexpire(keys.authFailures(id), options.windowMs, 'NX')
        .exec();
      const count = Number(result?.[0]?.[1] ?? 0);
      const over = count - options.freeFailures;
      if (over <= 0) return 0;
      const blockMs = Math.min(1000 * 2 ** Math.min(over - 1, 30), options.maxBlockMs);
      await redis.set(keys.authBlock(id), '1', 'PX', blockMs);
      return blockMs;
    },
  };
}
