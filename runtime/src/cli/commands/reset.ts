import { isHttpConnection } from '@crossdock/nodes';
import { readStateFile, removeStateFile } from '@crossdock/sandbox';
import { Redis } from 'ioredis';
import { readEnvironmentFile } from '../../context/environment';
import { isDevelopment, loadConfig, loadDotEnv } from '../../infra/config';
import { deleteMatching } from '../../infra/redis-scan';
import { partitionPrefixes } from '../../store/keys';
import { RUN_QUEUE } from '../../store/run-job';
import { UsageError } from '../files';
import { sandboxStateFile } from './sandbox';

export interface ResetOptions {
  dev?: boolean;
}

/** What a reset removed, per kind. */
export interface ResetReport {
  prefix: string;
  runs: number;
  dedupeKeys: number;
  otherRunKeys: number;
  queueKeys: number;
  sandboxFile: string;
  sandboxFileRemoved: boolean;
  sandboxOrders: number;
  sandboxSystemsReset: string[];
}

/** Deletes every key matching `pattern`; returns how many matched. */

/** Resets the sandbox systems that answer on the dev environment's ports; returns their names. */
async function resetRunningSandbox(flowsDir: string): Promise<string[]> {
  const environment = readEnvironmentFile(flowsDir, 'dev');
  const sandboxSystems = ['erp', 'wms', 'tms', 'carrier'];
  const reset: string[] = [];
  for (const connection of Object.values(environment.connections)) {
    if (!sandboxSystems.includes(connection.system) || !isHttpConnection(connection)) continue;
    const url = `${String(connection.baseUrl).replace(/\/+$/, '')}/_control/reset`;
    try {
      const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1_000) });
      if (response.ok && !reset.includes(connection.system)) reset.push(connection.system);
    } catch {
      // Not running: its state file is all there is.
    }
  }
  return reset;
}

/**
 * `crossdock reset --dev`: forgets the development runs (records, traces, indexes, dedupe keys,
 * queued jobs) and the sandbox's records, so the walk-through starts again from order 0000100001.
 * Deployed flow versions, promotions and schedules stay. Refused outside development.
 */
export async function resetDevelopment(env: NodeJS.ProcessEnv = process.env): Promise<ResetReport> {
  const config = loadConfig(env);
  if (!isDevelopment(config)) {
    throw new UsageError(
      `reset --dev clears development data only; CROSSDOCK_ENV is "${config.envName}". Nothing was removed.`,
    );
  }
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    try {
      await redis.connect();
    } catch {
      throw new Error(
        `Redis at ${config.redisUrl} does not answer; start it (or \`pnpm start\`, which starts one) and run reset again. Nothing was removed.`,
      );
    }
    const runKeys: string[] = [];
    const indexes: string[] = [];
    let dedupeKeys = 0;
    let queueKeys = 0;
    // Run data lives in each partition's prefix (the runtime's own with one partition).
    for (const prefix of partitionPrefixes(config.prefix, config.partitions)) {
      runKeys.push(...(await deleteMatching(redis, `${prefix}:cd:run:*`)));
      dedupeKeys += (await deleteMatching(redis, `${prefix}:cd:dedupe:*`)).length;
      indexes.push(...(await deleteMatching(redis, `${prefix}:cd:idx:*`)));
      queueKeys += (await deleteMatching(redis, `${prefix}:${RUN_QUEUE}:*`)).length;
    }
    const runs = runKeys.filter((k) => !k.endsWith(':steps') && !k.endsWith(':state')).length;
    const caches = await deleteMatching(redis, `${config.prefix}:cd:cache:*`);
    const sandboxFile = sandboxStateFile('dev', env);
    const saved = await readStateFile(sandboxFile).catch(() => undefined);
    const sandboxOrders = Object.keys(
      (saved?.systems.erp?.state as { orders?: object } | undefined)?.orders ?? {},
    ).length;
    const sandboxSystemsReset = await resetRunningSandbox(config.flowsDir);
    const sandboxFileRemoved = await removeStateFile(sandboxFile);
    return {
      prefix: config.prefix,
      runs,
      dedupeKeys,
      otherRunKeys: runKeys.length - runs + indexes.length + caches.length,
      queueKeys,
      sandboxFile,
      sandboxFileRemoved,
      sandboxOrders,
      sandboxSystemsReset,
    };
  } finally {
    redis.disconnect();
  }
}

export async function resetCommand(options: ResetOptions): Promise<number> {
  if (!options.dev) {
    throw new UsageError(
      'reset needs --dev: it removes the development runs, dedupe keys and sandbox records.',
    );
  }
  loadDotEnv();
  const report = await resetDevelopment();
  const lines = [
    `removed ${report.runs} run(s) with their traces and ${report.otherRunKeys} index/cache key(s) under ${report.prefix}`,
    `removed ${report.dedupeKeys} idempotency (dedupe) key(s)`,
    `removed ${report.queueKeys} run queue key(s)`,
    report.sandboxFileRemoved
      ? `removed the sandbox state ${report.sandboxFile} (${report.sandboxOrders} ERP order(s))`
      : `no sandbox state file at ${report.sandboxFile}`,
    report.sandboxSystemsReset.length > 0
      ? `emptied the running sandbox: ${report.sandboxSystemsReset.join(', ')}`
      : 'no sandbox running on the dev ports',
    'kept: deployed flow versions, promotions and schedules',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
