import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXPRESSION_BUDGET, type ExpressionBudget } from '@crossdock/nodes';

/** Roles in increasing power: each may do what the ones before it may. */
export const ROLES = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The key that works when CROSSDOCK_API_KEYS is unset (development only; README says so). */
export const DEV_API_KEY = 'crossdock-dev-admin';

/** Everything the runtime reads from the environment, parsed once. */
export interface RuntimeConfig {
  redisUrl: string;
  /** `REDIS_URL` lists the seed nodes of a Redis Cluster (CROSSDOCK_REDIS_CLUSTER=1). */
  redisCluster: boolean;
  port: number;
  /** Interface `crossdock serve` listens on; loopback unless told otherwise. */
  host: string;
  /**
   * Prefix of every key. Its `{hash tag}` holds the global keys (deployed flows, epoch,
   * connections) in one Redis Cluster slot; run data is split over `partitions`.
   */
  prefix: string;
  /**
   * Partitions of run data (runs, traces, indexes, run queues), each under its own hash tag so
   * a Redis Cluster spreads them over its masters. 1 (the default) keeps one slot, one queue.
   */
  partitions: number;
  concurrency: number;
  /** V8's old-generation growth past the last full collection, in percent (0: V8's own). */
  heapGrowthPercent: number;
  retentionMs: number;
  traceMaxBytes: number;
  apiKeys: ReadonlyMap<string, Role>;
  /** True when CROSSDOCK_API_KEYS is unset: the development key is in use. */
  devKeys: boolean;
  envName: string;
  flowsDir: string;
  secretsFile: string | undefined;
  redactFields: readonly string[];
  maxQueueDepth: number;
  /**
   * Intake flow control: above this many runs waiting to start, an accepted webhook delivery is
   * acknowledged after a pause that grows with the backlog (0: never paused).
   */
  intakeFlowDepth: number;
  /** The longest such pause. */
  intakeFlowMaxMs: number;
  /** How often broker triggers read the active versions again (another process activates). */
  triggerFollowMs: number;
  nodeTimeoutMs: number;
  shutdownGraceMs: number;
  lockMs: number;
  bodyLimit: string;
  inlineWaitMs: number;
  hookToleranceMs: number;
  /** How far in the future a signed webhook timestamp may be (clock skew). */
  hookSkewMs: number;
  /** Deepest JSON nesting a request body may have (400 deeper). */
  maxJsonDepth: number;
  /** Webhook callers one API process lets wait for a flow's answer at once; more get 202 at once. */
  replyMaxWaiting: number;
  /** Express `trust proxy`: set behind a TLS proxy so clients are told apart by X-Forwarded-For. */
  trustProxy: string | undefined;
  logLevel: string;
  /** What one expression evaluation may spend (the node timeout is added per step). */
  expressionBudget: ExpressionBudget;
  /** Stalls (a worker died holding the run) after which a run fails as `worker-crashed`. */
  maxStalls: number;
  /** How often each worker scans for passed business process deadlines. */
  towerTickMs: number;
  /**
   * When runs save a checkpoint: around side-effecting steps and at the end (`side-effects`,
   * pure steps' records written with the next one), or after every step (`every-step`, the
   * old rule, kept for comparison in the bench).
   */
  checkpoint: 'side-effects' | 'every-step';
  /** Keep deployed flows, active versions and webhook routes in process (invalidated on change). */
  flowCache: boolean;
  /** Share of Redis maxmemory in use from which `/readyz` warns (0..1). */
  redisMemoryWarnRatio: number;
  /** Age after which a succeeded run's trace is compacted (deflated steps); 0: never. */
  traceCompactAfterMs: number;
  /** How long a worker holds a claimed deadline or escalation before another may take it. */
  towerLeaseMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `MAX_PARTITIONS` in store/keys: each partition is a queue and a worker in every process. */
function partitionCount(env: NodeJS.ProcessEnv): number {
  const n = int(env, 'CROSSDOCK_PARTITIONS', 1, 1);
  if (n > 256) throw new ConfigError(`CROSSDOCK_PARTITIONS must be at most 256, not "${n}".`);
  return n;
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${values.join(', ')}, not "${raw}".`);
  }
  return raw as T;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, not "${raw}".`);
  }
  return value;
}

function parseKeys(raw: string | undefined): Map<string, Role> {
  const keys = new Map<string, Role>();
  if (raw === undefined || raw.trim() === '') {
    keys.set(DEV_API_KEY, 'admin');
    return keys;
  }
  for (const pair of raw.split(',')) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const colon = trimmed.indexOf(':');
    const role = trimmed.slice(0, colon) as Role;
    const key = trimmed.slice(colon + 1);
    if (colon < 1 || !ROLES.includes(role) || key.length < 8) {
      throw new ConfigError(
        `CROSSDOCK_API_KEYS holds "role:key" pairs (roles: ${ROLES.join(', ')}; keys of 8+ characters); "${trimmed.slice(0, Math.max(colon, 0))}:…" is not one.`,
      );
    }
    keys.set(key, role);
  }
  return keys;
}

const DEFAULT_REDACT = [
  'password',
  'secret',
  'token',
  'authorization',
  'apikey',
  'api_key',
  'x-api-key',
];

/** Reads the configuration; throws a `ConfigError` that names the variable at fault. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): RuntimeConfig {
  const apiKeysRaw = env.CROSSDOCK_API_KEYS;
  const redact = env.CROSSDOCK_REDACT_FIELDS;
  return {
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisCluster: env.CROSSDOCK_REDIS_CLUSTER === '1' || env.CROSSDOCK_REDIS_CLUSTER === 'true',
    port: int(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    prefix: env.CROSSDOCK_PREFIX || '{crossdock}',
    partitions: partitionCount(env),
    concurrency: int(env, 'CROSSDOCK_CONCURRENCY', 50, 1),
    heapGrowthPercent: int(env, 'CROSSDOCK_HEAP_GROWTH_PERCENT', 100),
    retentionMs: int(env, 'CROSSDOCK_RETENTION_DAYS', 7, 1) * 24 * 3600_000,
    traceMaxBytes: int(env, 'CROSSDOCK_TRACE_MAX_BYTES', 16_384, 64),
    apiKeys: parseKeys(apiKeysRaw),
    devKeys: apiKeysRaw === undefined || apiKeysRaw.trim() === '',
    envName: env.CROSSDOCK_ENV || 'dev',
    flowsDir: path.resolve(cwd, env.CROSSDOCK_FLOWS_DIR || 'flows'),
    secretsFile: env.CROSSDOCK_SECRETS_FILE
      ? path.resolve(cwd, env.CROSSDOCK_SECRETS_FILE)
      : undefined,
    redactFields: [
      ...DEFAULT_REDACT,
      ...(redact
        ? redact
            .split(',')
            .map((f) => f.trim().toLowerCase())
            .filter(Boolean)
        : []),
    ],
    maxQueueDepth: int(env, 'CROSSDOCK_MAX_QUEUE_DEPTH', 10_000, 1),
    intakeFlowDepth: int(env, 'CROSSDOCK_INTAKE_FLOW_DEPTH', 100),
    intakeFlowMaxMs: int(env, 'CROSSDOCK_INTAKE_FLOW_MAX_MS', 1_000),
    triggerFollowMs: int(env, 'CROSSDOCK_TRIGGER_FOLLOW_MS', 2_000, 50),
    nodeTimeoutMs: int(env, 'CROSSDOCK_NODE_TIMEOUT_MS', 30_000, 1),
    shutdownGraceMs: int(env, 'CROSSDOCK_SHUTDOWN_GRACE_MS', 10_000),
    lockMs: int(env, 'CROSSDOCK_LOCK_MS', 30_000, 500),
    bodyLimit: env.CROSSDOCK_BODY_LIMIT || '1mb',
    inlineWaitMs: int(env, 'CROSSDOCK_INLINE_WAIT_MS', 2_000),
    hookToleranceMs: int(env, 'CROSSDOCK_HOOK_TOLERANCE_MS', 300_000, 1),
    hookSkewMs: int(env, 'CROSSDOCK_HOOK_SKEW_MS', 30_000),
    maxJsonDepth: int(env, 'CROSSDOCK_MAX_JSON_DEPTH', 64, 2),
    replyMaxWaiting: int(env, 'CROSSDOCK_REPLY_MAX_WAITING', 200, 0),
    trustProxy: env.CROSSDOCK_TRUST_PROXY || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    expressionBudget: {
      maxOperations: int(
        env,
        'CROSSDOCK_EXPR_MAX_OPERATIONS',
        DEFAULT_EXPRESSION_BUDGET.maxOperations,
        1,
      ),
      maxTextLength: int(
        env,
        'CROSSDOCK_EXPR_MAX_TEXT',
        DEFAULT_EXPRESSION_BUDGET.maxTextLength,
        1,
      ),
      maxItems: int(env, 'CROSSDOCK_EXPR_MAX_ITEMS', DEFAULT_EXPRESSION_BUDGET.maxItems, 1),
      maxAllocation: int(
        env,
        'CROSSDOCK_EXPR_MAX_ALLOCATION',
        DEFAULT_EXPRESSION_BUDGET.maxAllocation,
        1,
      ),
      maxDepth: int(env, 'CROSSDOCK_EXPR_MAX_DEPTH', DEFAULT_EXPRESSION_BUDGET.maxDepth, 1),
    },
    maxStalls: int(env, 'CROSSDOCK_MAX_STALLS', 2, 1),
    towerTickMs: int(env, 'CROSSDOCK_TOWER_TICK_MS', 5_000, 10),
    checkpoint: oneOf(env, 'CROSSDOCK_CHECKPOINT', ['side-effects', 'every-step'], 'side-effects'),
    flowCache: oneOf(env, 'CROSSDOCK_FLOW_CACHE', ['on', 'off'], 'on') === 'on',
    redisMemoryWarnRatio: int(env, 'CROSSDOCK_REDIS_MEMORY_WARN_PERCENT', 80, 1) / 100,
    traceCompactAfterMs: int(env, 'CROSSDOCK_TRACE_COMPACT_AFTER_MINUTES', 60) * 60_000,
    towerLeaseMs: int(env, 'CROSSDOCK_TOWER_LEASE_MS', 60_000, 100),
  };
}

/** Development: flow files may be edited through the API and the designer needs no login. */
export function isDevelopment(config: RuntimeConfig): boolean {
  return config.envName === 'dev';
}

/** Reads `./.env` into the process environment when present; variables already set win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** True for a loopback interface or name: `localhost`, 127.0.0.0/8, `::1` (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/**
 * The published development key must never be reachable from another machine: with it, the
 * runtime listens on loopback only.
 */
export function assertSafeBinding(config: RuntimeConfig): void {
  if (config.devKeys && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `HOST=${config.host} would expose the published development key "${DEV_API_KEY}" to the network. Set CROSSDOCK_API_KEYS (role:key pairs) or listen on 127.0.0.1.`,
    );
  }
}

/** The API must not accept the published development key outside development. */
export function assertApiKeysConfigured(config: RuntimeConfig): void {
  if (config.devKeys && !isDevelopment(config)) {
    throw new ConfigError(
      `CROSSDOCK_API_KEYS is not set in environment "${config.envName}": the development key is accepted only in dev. Set role:key pairs.`,
    );
  }
}
