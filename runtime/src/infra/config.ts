import { existsSync } from 'node:fs';
import path from 'node:path';

/** Roles in increasing power: each may do what the ones before it may. */
export const ROLES = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The key that works when CROSSDOCK_API_KEYS is unset (development only; README says so). */
export const DEV_API_KEY = 'crossdock-dev-admin';

/** Everything the runtime reads from the environment, parsed once. */
export interface RuntimeConfig {
  redisUrl: string;
  port: number;
  /** Prefix of every key; a `{hash tag}` keeps all keys in one Redis Cluster slot. */
  prefix: string;
  concurrency: number;
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
  nodeTimeoutMs: number;
  shutdownGraceMs: number;
  lockMs: number;
  bodyLimit: string;
  inlineWaitMs: number;
  hookToleranceMs: number;
  logLevel: string;
  /** How often each worker scans for passed business process deadlines. */
  towerTickMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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
    port: int(env, 'PORT', 8080),
    prefix: env.CROSSDOCK_PREFIX || '{crossdock}',
    concurrency: int(env, 'CROSSDOCK_CONCURRENCY', 50, 1),
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
    nodeTimeoutMs: int(env, 'CROSSDOCK_NODE_TIMEOUT_MS', 30_000, 1),
    shutdownGraceMs: int(env, 'CROSSDOCK_SHUTDOWN_GRACE_MS', 10_000),
    lockMs: int(env, 'CROSSDOCK_LOCK_MS', 30_000, 500),
    bodyLimit: env.CROSSDOCK_BODY_LIMIT || '1mb',
    inlineWaitMs: int(env, 'CROSSDOCK_INLINE_WAIT_MS', 2_000),
    hookToleranceMs: int(env, 'CROSSDOCK_HOOK_TOLERANCE_MS', 300_000, 1),
    logLevel: env.LOG_LEVEL || 'info',
    towerTickMs: int(env, 'CROSSDOCK_TOWER_TICK_MS', 5_000, 10),
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

/** The API must not accept the published development key outside development. */
export function assertApiKeysConfigured(config: RuntimeConfig): void {
  if (config.devKeys && !isDevelopment(config)) {
    throw new ConfigError(
      `CROSSDOCK_API_KEYS is not set in environment "${config.envName}": the development key is accepted only in dev. Set role:key pairs.`,
    );
  }
}
