import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { createApp } from '../../api/app';
import {
  assertApiKeysConfigured,
  assertSafeBinding,
  ConfigError,
  isDevelopment,
  loadConfig,
  loadDotEnv,
} from '../../infra/config';
import { limitHeapGrowth } from '../../infra/heap-growth';
import { ensureLocalRedis } from '../../infra/local-redis';
import { onShutdown } from '../../infra/shutdown';
import { createRuntime } from '../../runtime';
import { ensureDesignerBuild, repositoryRoot } from '../designer-build';
import { applyDevSecrets, deployFiles, startDevLandscape } from './dev-landscape';

export interface ServeOptions {
  /** `pnpm start`: start a local redis-server if needed and build the designer if missing. */
  bootstrap?: boolean;
  worker?: boolean;
}

const root = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));
const designerDist = path.join(root, 'designer', 'dist');

/** `crossdock serve`: the HTTP API, workers and the designer in one process. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const redisChild = options.bootstrap ? await ensureLocalRedis(process.env) : undefined;
  if (options.bootstrap) ensureDesignerBuild(root, designerDist);
  loadDotEnv();
  const config = loadConfig();
  limitHeapGrowth(config.heapGrowthPercent);
  assertApiKeysConfigured(config);
  assertSafeBinding(config);
  const landscape = options.bootstrap && isDevelopment(config);
  // Development: secrets not set get the sandbox's values (as `crossdock sandbox` checks them).
  if (isDevelopment(config)) applyDevSecrets(process.env);
  const runtime = createRuntime(config, { catalog, executors });
  const partitions = await runtime.partitionProblem();
  if (partitions) {
    await runtime.close();
    redisChild?.kill();
    throw new ConfigError(partitions);
  }
  // Development restores its flows from the files after a Redis data loss; elsewhere the loss
  // keeps the runtime unready until an operator deploys or promotes again.
  await runtime.watchEpoch(
    isDevelopment(config) ? async () => ({ flows: (await deployFiles(runtime)).flows }) : undefined,
  );
  if (options.worker !== false) runtime.startWorker();
  const app = createApp(runtime, { designerDist });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const trim = setInterval(() => {
    runtime.runs
      .trimIndexes(runtime.now())
      .catch((error: unknown) => runtime.log.warn({ err: error }, 'index trim failed'));
    runtime.tower
      .trim()
      .catch((error: unknown) => runtime.log.warn({ err: error }, 'control tower trim failed'));
  }, 600_000);
  runtime.log.info(
    {
      port: config.port,
      host: config.host,
      env: config.envName,
      prefix: config.prefix,
      designer: existsSync(designerDist),
    },
    `Crossdock listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
  );
  if (isDevelopment(config) && config.devKeys) {
    runtime.log.info(
      'development: API key "crossdock-dev-admin" (admin); the designer needs no login',
    );
  }
  const sandbox = landscape ? await startDevLandscape(runtime, config.port) : undefined;
  onShutdown(runtime.log, async () => {
    clearInterval(trim);
    await sandbox?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.close();
    redisChild?.kill();
  });
  return new Promise<number>(() => {});
}
