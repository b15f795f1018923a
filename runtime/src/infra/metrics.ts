import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RedisMemory } from './redis-memory';

/** The runtime's Prometheus metrics, on a registry of their own (no global state). */
export interface RuntimeMetrics {
  registry: Registry;
  runs: Counter<'flow' | 'status'>;
  stepSeconds: Histogram<'node_type' | 'status'>;
  retries: Counter<'flow' | 'node_type'>;
  deadLetters: Counter<'flow'>;
  queueDepth: Gauge<'state'>;
  redisMemory: Gauge<'kind'>;
  connectionFailures: Counter<'connection' | 'error_class' | 'code'>;
  connectionDeferrals: Counter<'connection' | 'reason'>;
  breakerOpened: Counter<'connection'>;
}

export function createMetrics(
  queueCounts?: () => Promise<Record<string, number>>,
  memory?: () => Promise<RedisMemory>,
): RuntimeMetrics {
  const registry = new Registry();
  const runs = new Counter({
    name: 'crossdock_runs_total',
    help: 'Runs that reached a status, by flow and status.',
    labelNames: ['flow', 'status'] as const,
    registers: [registry],
  });
  const stepSeconds = new Histogram({
    name: 'crossdock_step_duration_seconds',
    help: 'Duration of one step attempt.',
    labelNames: ['node_type', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'crossdock_retries_total',
    help: 'Step attempts that failed and will be retried.',
    labelNames: ['flow', 'node_type'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'crossdock_dead_letters_total',
    help: 'Runs that failed into the exception queue.',
    labelNames: ['flow'] as const,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'crossdock_queue_depth',
    help: 'Jobs in the run queue by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (!queueCounts) return;
      const counts = await queueCounts();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  const redisMemory = new Gauge({
    name: 'crossdock_redis_memory_bytes',
    help: 'Redis memory: used (used_memory) and max (maxmemory; absent when unlimited). Alert when used/max passes 0.8.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      if (!memory) return;
      const m = await memory();
      this.set({ kind: 'used' }, m.usedBytes);
      if (m.maxBytes !== undefined) this.set({ kind: 'max' }, m.maxBytes);
    },
  });

  const connectionFailures = new Counter({
    name: 'crossdock_connection_failures_total',
    help: 'Failed step attempts of nodes that call a connection (an API failure), by connection, error class (transient/permanent/unexpected) and code.',
    labelNames: ['connection', 'error_class', 'code'] as const,
    registers: [registry],
  });
  const connectionDeferrals = new Counter({
    name: 'crossdock_connection_deferrals_total',
    help: 'Steps sent back to the queue because their connection may not be called now (reason: open breaker, or busy at maxConcurrency).',
    labelNames: ['connection', 'reason'] as const,
    registers: [registry],
  });
  const breakerOpened = new Counter({
    name: 'crossdock_circuit_breaker_opened_total',
    help: "Times a connection's circuit breaker opened after consecutive transient failures.",
    labelNames: ['connection'] as const,
    registers: [registry],
  });
  return {
    registry,
    runs,
    stepSeconds,
    retries,
    deadLetters,
    queueDepth,
    redisMemory,
    connectionFailures,
    connectionDeferrals,
    breakerOpened,
  };
}
