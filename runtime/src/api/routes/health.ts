import { Router } from 'express';
import { isDevelopment } from '../../infra/config';
import { describeLoss, persistenceWarning } from '../../infra/redis-epoch';
import { memoryWarning, redisMemory } from '../../infra/redis-memory';
import type { Runtime } from '../../runtime';

/** `/healthz` (the process answers), `/readyz` (Redis usable for queues), `/metrics`. */
export function healthRouter(runtime: Runtime): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // While Redis is down, answer at once instead of queueing a PING behind the reconnects.
    if (runtime.redis.status !== 'ready') {
      res.status(503).json({
        status: 'unavailable',
        message: `Redis is not connected (${runtime.redis.status}); see the log for what to do.`,
      });
      return;
    }
    try {
      await runtime.redis.ping();
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        message: `Redis does not answer: ${(error as Error).message}`,
      });
      return;
    }
    let policy: string | undefined;
    try {
      const reply = (await runtime.redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
    } catch {
      policy = undefined;
    }
    if (policy !== 'noeviction') {
      res.status(503).json({
        status: 'unavailable',
        message: `Redis maxmemory-policy is "${policy ?? 'unknown'}"; it must be "noeviction", or Redis may evict queue jobs and lose runs.`,
      });
      return;
    }
    let loss: Awaited<ReturnType<Runtime['checkEpoch']>>;
    try {
      loss = await runtime.checkEpoch();
    } catch (error) {
      // On a cluster the client stays connected while one master is away: its markers are not
      // readable, so its data cannot be vouched for.
      res.status(503).json({
        status: 'unavailable',
        message: `The Redis data-loss check failed: ${(error as Error).message}`,
      });
      return;
    }
    if (loss && !loss.restored) {
      res.status(503).json({
        status: 'unavailable',
        message: describeLoss(loss),
        dataLoss: loss,
      });
      return;
    }
    const warnings: string[] = [];
    if (!isDevelopment(runtime.config)) {
      const persistence = await persistenceWarning(runtime.redis);
      if (persistence) warnings.push(persistence);
    }
    const memory = await redisMemory(runtime.redis).catch(() => undefined);
    const full = memory && memoryWarning(memory, runtime.config.redisMemoryWarnRatio);
    if (full) warnings.push(full);
    if (loss) {
      warnings.push(
        `Redis lost its data at ${loss.detectedAt}${loss.partitions.length > 0 ? ` (run data of partitions ${loss.partitions.join(', ')} too)` : ''}; flows restored: ${loss.restoredFlows.join(', ') || 'none'}.`,
      );
    }
    res.json({
      status: 'ready',
      redis: {
        maxmemoryPolicy: policy,
        ...(memory ? { usedMemory: memory.usedBytes, maxMemory: memory.maxBytes ?? null } : {}),
      },
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(loss ? { dataLoss: loss } : {}),
    });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', runtime.metrics.registry.contentType);
    res.send(await runtime.metrics.registry.metrics());
  });
  return router;
}
