import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { redisRetryDelay } from './redis-health';

/**
 * The runtime's Redis connection: one server, or a Redis Cluster (`CROSSDOCK_REDIS_CLUSTER=1`,
 * `REDIS_URL` a comma-separated list of seed nodes). On a cluster every script and transaction
 * stays in one slot, as Redis Cluster requires: global keys carry the prefix's hash tag
 * (`{crossdock}`), each partition of run data its own (see store/keys.ts); BullMQ takes the
 * cluster client as it is.
 */
export function createRedisClient(url: string, cluster: boolean, options: RedisOptions): Redis {
  if (!cluster) return new Redis(url, options);
  const nodes = url.split(',').map((seed) => {
    const u = new URL(seed.trim());
    return { host: u.hostname, port: Number(u.port || 6379) };
  });
  const first = new URL(url.split(',')[0]?.trim() ?? url);
  const client = new Cluster(nodes, {
    clusterRetryStrategy: redisRetryDelay,
    // No auto-pipelining on a cluster: with it, a master killed and restarted stayed unreachable
    // (every command for its slots failed with the MOVED that named that very master, 40 s
    // on, see test/runtime/redis-cluster-loss.test.ts); without it the client follows MOVED.
    enableAutoPipelining: false,
    redisOptions: {
      ...options,
      enableAutoPipelining: false,
      ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
      ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    },
  });
  // The commands the runtime sends (scripts, MULTI, sorted sets, lists, hashes, INFO, CONFIG)
  // exist on both clients with the same signatures; the stores are typed against one of them.
  return client as unknown as Redis;
}

/** The global keys share one slot: a cluster needs the prefix to start with a hash tag. */
export function clusterPrefixProblem(prefix: string): string | undefined {
  return /^\{[^{}]+\}/.test(prefix)
    ? undefined
    : `CROSSDOCK_PREFIX "${prefix}" has no hash tag; on a Redis Cluster it must start with one, such as "{crossdock}".`;
}
