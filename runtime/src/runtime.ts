import { randomUUID } from 'node:crypto';
import {
  type Catalog,
  type Environment,
  MAX_REPLY_TIMEOUT_MS,
  type NodeExecutor,
  type TradingPartner,
} from '@crossdock/nodes';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { Activations } from './activation/activations';
import { WebhookRoutes } from './activation/webhook-routes';
import { ConnectionGuard } from './context/connection-guard';
import { readEnvironmentFile } from './context/environment';
import { createHttpClient } from './context/http-client';
import type { ContextDeps } from './context/node-context';
import { readPartnerFiles } from './context/partners';
import { RateLimiter } from './context/rate-limiter';
import { redisCache } from './context/run-state';
import { createSecrets, type Secrets } from './context/secrets';
import { ConfigError, isDevelopment, type RuntimeConfig } from './infra/config';
import { faultPointsFrom } from './infra/fault-points';
import { createLogger, type Logger } from './infra/logger';
import { createMetrics, type RuntimeMetrics } from './infra/metrics';
import { Redactor } from './infra/redaction';
import { clusterPrefixProblem, createRedisClient } from './infra/redis-client';
import { type DataLoss, RedisEpoch } from './infra/redis-epoch';
import { RedisHealth, reportQueueErrors } from './infra/redis-health';
import { redisMemory } from './infra/redis-memory';
import { createRunQueues, type RunQueues } from './queue/run-queue';
import { type RunWorker, startRunWorker } from './queue/run-worker';
import { Schedules, startScheduleWorker } from './queue/schedules';
import { ReconcileSchedules, startReconcileWorker } from './reconcile/reconcile-schedules';
import { ReconcileStore } from './reconcile/reconcile-store';
import { Reconciler, readReconciliationFiles } from './reconcile/reconciler';
import { IntakeFlow } from './service/intake-flow';
import { RunService } from './service/run-service';
import { WebhookReplies } from './service/webhook-replies';
import { ShadowStore } from './shadow/shadow-store';
import { Shadows } from './shadow/shadows';
import { FlowStore } from './store/flow-store';
import { createKeys, type Keys } from './store/keys';
import { ReadCache } from './store/read-cache';
import { RunStore } from './store/run-store';
import { COMPACTION_TICK_MS, compactDue } from './store/trace-compaction';
import { ProcessStore } from './tower/process-store';
import { Tower } from './tower/tower';
import { createTowerMetrics } from './tower/tower-metrics';
import { cardinalities, indicatorIndex } from './tower/tower-queries';
import { TowerStore } from './tower/tower-store';
import { TransportPool } from './transports/pool';
import { SftpPolls, sftpTriggersOf, startSftpPollWorker } from './transports/sftp-trigger';
import { BrokerTriggers } from './transports/triggers/broker-triggers';

/** Runs kept per reconciliation stream: the length of its trend. */
const RECONCILE_RUNS_KEPT = 100;

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
  /** Trading-partner profiles from flows/partners (EDI). */
  partners: TradingPartner[];
  secrets: Secrets;
  flows: FlowStore;
  /** What the active versions' triggers start: webhook routes, schedulers, pollers, consumers. */
  activations: Activations;
  runs: RunStore;
  /** The run queue of each partition. */
  queues: RunQueues;
  service: RunService;
  /** Request-reply: webhook callers waiting for their run's `flow.respond` answer. */
  replies: WebhookReplies;
  /** Webhook intake's flow control: how long an accepted delivery's answer waits. */
  intakeFlow: IntakeFlow;
  /** Schedule triggers, registered as BullMQ job schedulers when a version becomes active. */
  schedules: Schedules;
  /** SFTP folder triggers, registered as BullMQ job schedulers like schedules. */
  sftpPolls: SftpPolls;
  /** The control tower: the active deployed business processes, observed across flows. */
  tower: Tower;
  /** Pooled clients of the non-HTTP connections, one per connection, closed by `close`. */
  transports: TransportPool;
  /** Dual runs of candidate versions beside the active ones, and their reports. */
  shadows: Shadows;
  /** Reconciliation streams and master-data drift (flows/reconciliations/). */
  reconciliations: Reconciler;
  now(): number;
  startWorker(concurrency?: number): RunWorker;
  /**
   * Watches the epoch marker (joins it now, checks it every few seconds); on a loss, `restore`
   * deploys the flows again where the environment allows.
   */
  watchEpoch(restore?: () => Promise<{ flows: string[]; action?: string }>): Promise<void>;
  /**
   * Records the partition count in Redis on first use; a different count than the one the data
   * was written with is a problem (runs, dedupe keys and ordering queues would be missed).
   * Undefined when they agree, or when Redis does not answer yet.
   */
  partitionProblem(): Promise<string | undefined>;
  /** Checks the epoch marker now (readiness, a webhook path nobody listens on). */
  checkEpoch(): Promise<DataLoss | undefined>;
  /** The data loss seen by the last check, if any. */
  dataLoss(): DataLoss | undefined;
  /** Closes workers (within the grace period), the queue and Redis. */
  close(): Promise<void>;
}

export function createRuntime(config: RuntimeConfig, deps: RuntimeDeps): Runtime {
  const now = deps.now ?? Date.now;
  const redactor = new Redactor(config.redactFields);
  const log = createLogger(config.logLevel, redactor, deps.logDestination);
  // Environment and secrets first: a refused secret stops the process before it opens Redis.
  const environment = readEnvironmentFile(config.flowsDir, config.envName);
  const partners = readPartnerFiles(config.flowsDir);
  const secrets = createSecrets(
    config.secretsFile,
    deps.env ?? process.env,
    redactor,
    environment,
    {
      development: isDevelopment(config),
      warn: (message) => log.warn(message),
    },
  );
  const clusterProblem = config.redisCluster ? clusterPrefixProblem(config.prefix) : undefined;
  if (clusterProblem) throw new ConfigError(clusterProblem);
  const redisHealth = new RedisHealth(config.redisUrl, log);
  const redis = redisHealth.watch(
    createRedisClient(
      config.redisUrl,
      config.redisCluster,
      redisHealth.options({ enableAutoPipelining: true, maxRetriesPerRequest: 3 }),
    ),
  );
  const bullConnection = redisHealth.watch(
    createRedisClient(
      config.redisUrl,
      config.redisCluster,
      redisHealth.options({ maxRetriesPerRequest: null }),
    ),
  );
  const keys = createKeys(config.prefix, config.partitions);
  const schedules = new Schedules(bullConnection, config.prefix);
  const sftpPolls = new SftpPolls(bullConnection, config.prefix);
  let brokerTriggers: BrokerTriggers | undefined;
  const cache = new ReadCache(config.flowCache);
  const activations = new Activations({
    catalog: deps.catalog,
    webhooks: new WebhookRoutes(redis, keys, cache, isDevelopment(config)),
    schedules,
    polls: sftpPolls,
    consumersChanged: () => void brokerTriggers?.follow(),
  });
  const flows = new FlowStore(redis, keys, deps.catalog, cache, activations, {
    testTtlMs: config.retentionMs,
  });
  // Its own connection: a subscribed connection sends no other commands. Flow changes (with the
  // flow cache) and process changes (always) are announced on it.
  const flowEvents = redisHealth.watch(
    createRedisClient(config.redisUrl, config.redisCluster, redisHealth.options({})),
  );
  if (config.flowCache) {
    flows.watch(flowEvents).catch((error: unknown) => {
      log.warn(
        { err: error },
        'flow change announcements not subscribed; the cache expires instead',
      );
    });
  }
  const runs = new RunStore(redis, keys, redactor, config.retentionMs, config.traceMaxBytes);
  const queues = createRunQueues(bullConnection, keys);
  for (const queue of queues.all) reportQueueErrors(queue, log, 'run queue');
  reportQueueErrors(schedules.queue, log, 'schedule queue');
  reportQueueErrors(sftpPolls.queue, log, 'sftp poll queue');
  const metrics = createMetrics(
    () => queues.counts(),
    () => redisMemory(redis),
  );
  const newRunId = deps.newRunId ?? (() => `run_${randomUUID()}`);
  const faults = faultPointsFrom((deps.env ?? process.env).CROSSDOCK_FAULTS);
  const service = new RunService(flows, runs, metrics, newRunId, now, faults);
  const shadows = new Shadows({
    store: new ShadowStore(redis, config.prefix, { cache, changed: () => flows.changed() }),
    flows,
    runs,
    service,
    environment,
    log,
    now,
  });
  const workers: RunWorker[] = [];
  // An answer outlives the longest wait, so a waiter that subscribes late still reads it.
  const replies = new WebhookReplies(redis, keys, 2 * MAX_REPLY_TIMEOUT_MS, config.replyMaxWaiting);
  const intakeFlow = new IntakeFlow({
    depth: config.intakeFlowDepth,
    maxMs: config.intakeFlowMaxMs,
    drainRate: (at) => runs.drainRate(at),
    now,
  });
  let compaction: NodeJS.Timeout | undefined;
  const epoch = new RedisEpoch(
    redis,
    { global: keys.epoch, partitions: keys.partitions.map((p) => p.epoch) },
    log,
    now,
  );
  let epochTimer: NodeJS.Timeout | undefined;
  let restoreFlows: (() => Promise<{ flows: string[]; action?: string }>) | undefined;
  const http = createHttpClient({ onCredential: (value) => redactor.addSecret(value) });
  let scheduleWorker: Worker | undefined;
  let sftpPollWorker: Worker | undefined;
  const transports = new TransportPool(environment, secrets, log);

  /** A loss of Redis data takes the deployed flows with it: the cache must not outlive them. */
  const checkEpoch = async (): Promise<DataLoss | undefined> => {
    const loss = await epoch.check(restoreFlows);
    if (loss && !loss.restored) flows.invalidate();
    return loss;
  };

  const context: ContextDeps = {
    redis,
    keys,
    retentionMs: config.retentionMs,
    environment,
    partners,
    secrets,
    cache: redisCache(redis, keys, (value) => redactor.stringify(value)),
    stringify: (value) => redactor.stringify(value),
    limiter: new RateLimiter(redis, keys, now),
    guard: new ConnectionGuard(redis, keys, now, Math.random, log, {
      deferred: (connection, reason) => metrics.connectionDeferrals.inc({ connection, reason }),
      opened: (connection) => metrics.breakerOpened.inc({ connection }),
    }),
    fetch: http.fetch,
    privateFetch: http.privateFetch,
    transports,
    expressionBudget: config.expressionBudget,
    log,
    now,
    startFlow: async (flowId, payload, parentRunId) => {
      const started = await service.start({ flowId, payload, correlationId: parentRunId });
      return started.runId;
    },
    replies,
  };

  const towerStore = new TowerStore(redis, config.prefix, config.retentionMs);
  const tower: Tower = new Tower({
    store: towerStore,
    processes: new ProcessStore(redis, keys, () => tower.invalidate()),
    runs,
    service,
    context,
    executors: deps.executors,
    metrics: createTowerMetrics(
      metrics.registry,
      async (): Promise<{ process: string; stage: string; count: number }[]> => {
        const rows = tower
          .list()
          .flatMap((p) => p.milestones.map((s) => ({ process: p.id, stage: s.id })));
        const counts = await cardinalities(
          redis,
          rows.map((r) => towerStore.k.stage(r.process, r.stage)),
        );
        return rows.map((r, i) => ({ ...r, count: counts[i] ?? 0 }));
      },
      async (): Promise<{ process: string; indicator: string; count: number }[]> => {
        const rows = tower
          .list()
          .flatMap((p) => (p.indicators ?? []).map((x) => ({ process: p.id, x })));
        const counts = await cardinalities(
          redis,
          rows.map((r) => indicatorIndex(towerStore, r.process, r.x)),
        );
        return rows.map((r, i) => ({
          process: r.process,
          indicator: r.x.id,
          count: counts[i] ?? 0,
        }));
      },
    ),
    log,
    now,
    tickMs: config.towerTickMs,
    leaseMs: config.towerLeaseMs,
    faults,
  });
  // The active deployed process versions, read now and again whenever one is deployed anywhere.
  tower.watch(flowEvents).catch((error: unknown) => {
    log.warn({ err: error }, 'process change announcements not subscribed; re-read every 5 s');
  });
  context.recordMilestone = (run, step, milestone) => tower.record(run, step, milestone);

  const reconcileSchedules = new ReconcileSchedules(bullConnection, config.prefix);
  reportQueueErrors(reconcileSchedules.queue, log, 'reconciliation queue');
  let reconcileWorker: Worker | undefined;
  const reconciliations = new Reconciler({
    store: new ReconcileStore(redis, config.prefix, config.retentionMs, RECONCILE_RUNS_KEPT),
    redis,
    prefix: config.prefix,
    context,
    executors: deps.executors,
    service,
    log,
    now,
    readTimeoutMs: config.nodeTimeoutMs,
  });
  reconciliations.set(readReconciliationFiles(config.flowsDir, log));

  return {
    config,
    catalog: deps.catalog,
    redis,
    keys,
    redactor,
    log,
    metrics,
    environment,
    partners,
    secrets,
    flows,
    activations,
    runs,
    queues,
    service,
    replies,
    intakeFlow,
    schedules,
    sftpPolls,
    tower,
    transports,
    shadows,
    reconciliations,
    now,
    startWorker(concurrency = config.concurrency) {
      if (!reconcileWorker) {
        reconcileWorker = startReconcileWorker({
          connection: bullConnection,
          prefix: config.prefix,
          reconciler: reconciliations,
          log,
        });
        reconcileSchedules
          .follow(reconciliations.list())
          .catch((error: unknown) =>
            log.warn({ err: error }, 'reconciliation schedules not registered'),
          );
      }
      sftpPollWorker ??= startSftpPollWorker({
        connection: bullConnection,
        prefix: config.prefix,
        redis,
        keys,
        service,
        retentionMs: config.retentionMs,
        log,
        sftp: async (name) =>
          (await transports.client(transports.connection(name, 'sftp'))).capability,
        triggers: async (flowId) => {
          const active = await flows.latest(flowId);
          return active ? sftpTriggersOf(active.flow) : [];
        },
      });
      scheduleWorker ??= startScheduleWorker({
        connection: bullConnection,
        prefix: config.prefix,
        service,
        log,
      });
      const worker = startRunWorker({
        connection: bullConnection,
        prefixes: keys.partitions.map((k) => k.prefix),
        concurrency,
        lockMs: config.lockMs,
        nodeTimeoutMs: config.nodeTimeoutMs,
        inlineWaitMs: config.inlineWaitMs,
        maxStalls: config.maxStalls,
        checkpointEveryStep: config.checkpoint === 'every-step',
        faults,
        flows,
        runs,
        executors: deps.executors,
        context,
        metrics,
        log,
        now,
        random: Math.random,
        shadows,
        observe: (run, step, end) => tower.observe(run, step, end),
        replies,
      });
      tower.start();
      brokerTriggers ??= new BrokerTriggers({
        redis,
        keys,
        flows,
        catalog: deps.catalog,
        service,
        pool: transports,
        environment,
        log,
        maxQueueDepth: config.maxQueueDepth,
        followMs: config.triggerFollowMs,
      });
      brokerTriggers.start();
      workers.push(worker);
      if (config.traceCompactAfterMs > 0) {
        compaction ??= setInterval(() => {
          compactDue(redis, keys, now, config.traceCompactAfterMs).catch((error: unknown) =>
            log.warn({ err: error }, 'trace compaction failed'),
          );
        }, COMPACTION_TICK_MS);
      }
      return worker;
    },
    async watchEpoch(restore) {
      restoreFlows = restore;
      // Redis away at start: the first check that reaches it joins the epoch.
      await epoch.start().catch((error: unknown) => {
        log.warn({ err: error }, 'epoch marker not read at start; checking again shortly');
      });
      epochTimer ??= setInterval(() => {
        checkEpoch().catch((error: unknown) => log.warn({ err: error }, 'epoch check failed'));
      }, 2_000);
    },
    async partitionProblem() {
      const count = String(keys.count);
      try {
        await redis.set(keys.partitionCount, count, 'NX');
        const held = await redis.get(keys.partitionCount);
        return held === null || held === count
          ? undefined
          : `Redis holds run data written with CROSSDOCK_PARTITIONS=${held}, this process has ${count}; every process must use the count the data was written with (docs/reliability.md#redis-cluster-and-partitions).`;
      } catch (error) {
        log.warn({ err: error }, 'partition count not checked at start (Redis not answering)');
        return undefined;
      }
    },
    checkEpoch,
    dataLoss() {
      return epoch.state();
    },
    async close() {
      clearInterval(compaction);
      clearInterval(epochTimer);
      // Consumers first: nothing new is taken while the workers finish what they hold.
      await brokerTriggers?.close();
      const results = await Promise.all(workers.map((w) => w.close(config.shutdownGraceMs)));
      if (results.some((done) => !done)) {
        log.warn(
          { graceMs: config.shutdownGraceMs },
          'steps still in flight after the grace period; another worker will recover them',
        );
      }
      replies.close();
      await tower.stop();
      await scheduleWorker?.close();
      await sftpPollWorker?.close();
      await sftpPolls.close();
      await schedules.close();
      await reconcileWorker?.close();
      await reconcileSchedules.close();
      await queues.close();
      // Calls still open after the grace were aborted; never wait on the pools past that.
      await Promise.race([
        Promise.all([http.close(), transports.close()]),
        new Promise((r) => setTimeout(r, 500).unref()),
      ]);
      redis.disconnect();
      bullConnection.disconnect();
      flowEvents.disconnect();
    },
  };
}
