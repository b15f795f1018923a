import { randomUUID } from 'node:crypto';
import type { Catalog, Environment, NodeExecutor } from '@crossdock/nodes';
import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { readEnvironmentFile } from './context/environment';
import { createHttpClient } from './context/http-client';
import type { ContextDeps } from './context/node-context';
import { RateLimiter } from './context/rate-limiter';
import { redisCache } from './context/run-state';
import { createSecrets, type Secrets } from './context/secrets';
import type { RuntimeConfig } from './infra/config';
import { createLogger, type Logger } from './infra/logger';
import { createMetrics, type RuntimeMetrics } from './infra/metrics';
import { Redactor } from './infra/redaction';
import { createRunQueue, queueCounts, type RunJobData } from './queue/run-queue';
import { type RunWorker, startRunWorker } from './queue/run-worker';
import { Schedules, startScheduleWorker } from './queue/schedules';
import { RunService } from './service/run-service';
import { FlowStore } from './store/flow-store';
import { createKeys, type Keys } from './store/keys';
import { RunStore } from './store/run-store';
import { readProcessFiles, Tower } from './tower/tower';
import { createTowerMetrics } from './tower/tower-metrics';
import { TowerStore } from './tower/tower-store';

export interface RuntimeDeps {
  catalog: Catalog;
  /** `executors` from `@crossdock/nodes/executors` in production; tests may add their own. */
  executors: Readonly<Record<string, NodeExecutor>>;
  env?: NodeJS.ProcessEnv;
  logDestination?: DestinationStream;
  now?: () => number;
  newRunId?: () => string;
}

/** One process's runtime: Redis connections, stores, queue, services; workers on demand. */
export interface Runtime {
  config: RuntimeConfig;
  catalog: Catalog;
  redis: Redis;
  keys: Keys;
  redactor: Redactor;
  log: Logger;
  metrics: RuntimeMetrics;
  environment: Environment;
  secrets: Secrets;
  flows: FlowStore;
  runs: RunStore;
  queue: Queue<RunJobData>;
  service: RunService;
  /** Schedule triggers, registered as BullMQ job schedulers when a version becomes active. */
  schedules: Schedules;
  /** The control tower: business processes observed across flows (flows/processes/). */
  tower: Tower;
  now(): number;
  startWorker(concurrency?: number): RunWorker;
  /** Closes workers (within the grace period), the queue and Redis. */
  close(): Promise<void>;
}

export function createRuntime(config: RuntimeConfig, deps: RuntimeDeps): Runtime {
  const now = deps.now ?? Date.now;
  const redactor = new Redactor(config.redactFields);
  const log = createLogger(config.logLevel, redactor, deps.logDestination);
  const redis = new Redis(config.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 3 });
  const bullConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const keys = createKeys(config.prefix);
  const environment = readEnvironmentFile(config.flowsDir, config.envName);
  const secrets = createSecrets(config.secretsFile, deps.env ?? process.env, redactor, environment);
  const schedules = new Schedules(bullConnection, config.prefix);
  const flows = new FlowStore(redis, keys, deps.catalog, (flow) => schedules.follow(flow));
  const runs = new RunStore(redis, keys, redactor, config.retentionMs, config.traceMaxBytes);
  const queue = createRunQueue(bullConnection, config.prefix);
  const metrics = createMetrics(() => queueCounts(queue));
  const newRunId = deps.newRunId ?? (() => `run_${randomUUID()}`);
  const service = new RunService(flows, runs, queue, metrics, newRunId, now);
  const workers: RunWorker[] = [];
  const http = createHttpClient();
  let scheduleWorker: Worker | undefined;

  const context: ContextDeps = {
    redis,
    keys,
    retentionMs: config.retentionMs,
    environment,
    secrets,
    cache: redisCache(redis, keys),
    limiter: new RateLimiter(redis, keys, now),
    fetch: http.fetch,
    log,
    now,
    startFlow: async (flowId, payload, parentRunId) => {
      const started = await service.start({ flowId, payload, correlationId: parentRunId });
      return started.runId;
    },
  };

  const towerStore = new TowerStore(redis, config.prefix, config.retentionMs);
  const tower = new Tower({
    store: towerStore,
    runs,
    service,
    context,
    executors: deps.executors,
    metrics: createTowerMetrics(metrics.registry, async () => {
      const m = redis.multi();
      const labels: { process: string; stage: string }[] = [];
      for (const p of tower.list()) {
        for (const s of p.milestones) {
          labels.push({ process: p.id, stage: s.id });
          m.zcard(towerStore.k.stage(p.id, s.id));
        }
      }
      const counts = labels.length > 0 ? ((await m.exec()) ?? []) : [];
      return labels.map((l, i) => ({ ...l, count: Number(counts[i]?.[1] ?? 0) }));
    }),
    log,
    now,
    tickMs: config.towerTickMs,
  });
  tower.setProcesses(readProcessFiles(config.flowsDir, log));

  return {
    config,
    catalog: deps.catalog,
    redis,
    keys,
    redactor,
    log,
    metrics,
    environment,
    secrets,
    flows,
    runs,
    queue,
    service,
    schedules,
    tower,
    now,
    startWorker(concurrency = config.concurrency) {
      scheduleWorker ??= startScheduleWorker({
        connection: bullConnection,
        prefix: config.prefix,
        service,
        log,
      });
      const worker = startRunWorker({
        connection: bullConnection,
        prefix: config.prefix,
        concurrency,
        lockMs: config.lockMs,
        nodeTimeoutMs: config.nodeTimeoutMs,
        inlineWaitMs: config.inlineWaitMs,
        flows,
        runs,
        executors: deps.executors,
        context,
        metrics,
        log,
        now,
        random: Math.random,
        observe: (run, step, end) => tower.observe(run, step, end),
      });
      tower.start();
      workers.push(worker);
      return worker;
    },
    async close() {
      const results = await Promise.all(workers.map((w) => w.close(config.shutdownGraceMs)));
      if (results.some((done) => !done)) {
        log.warn(
          { graceMs: config.shutdownGraceMs },
          'steps still in flight after the grace period; another worker will recover them',
        );
      }
      await tower.stop();
      await scheduleWorker?.close();
      await schedules.close();
      await queue.close();
      await http.close();
      redis.disconnect();
      bullConnection.disconnect();
    },
  };
}
