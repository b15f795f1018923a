import type { Redis } from 'ioredis';

/** Redis memory as INFO reports it; `maxBytes` is undefined when Redis has no `maxmemory`. */
export interface RedisMemory {
  usedBytes: number;
  maxBytes: number | undefined;
}

/** Reads `used_memory` and `maxmemory` from `INFO memory`. */
export async function redisMemory(redis: Redis): Promise<RedisMemory> {
  const info = await redis.info('memory');
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const max = field('maxmemory');
  return { usedBytes: field('used_memory') ?? 0, maxBytes: max ? max : undefined };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * A warning once Redis uses `warnRatio` of its `maxmemory`: at the limit a `noeviction` Redis
 * refuses writes, so intake answers 5xx and runs cannot record their steps.
 */
export function memoryWarning(memory: RedisMemory, warnRatio: number): string | undefined {
  if (memory.maxBytes === undefined) return undefined;
  const ratio = memory.usedBytes / memory.maxBytes;
  if (ratio < warnRatio) return undefined;
  return `Redis uses ${Math.round(ratio * 100)}% of its maxmemory (${mb(memory.usedBytes)} of ${mb(memory.maxBytes)}); at the limit it refuses writes and intake fails. Raise maxmemory or shorten CROSSDOCK_RETENTION_DAYS (docs/reliability.md, memory sizing).`;
}
