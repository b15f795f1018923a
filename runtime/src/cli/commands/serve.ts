import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalog } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { createApp } from '../../api/app';
import { assertApiKeysConfigured, isDevelopment, loadConfig, loadDotEnv } from '../../infra/config';
import { ensureLocalRedis } from '../../infra/local-redis';
import { onShutdown } from '../../infra/shutdown';
import { createRuntime } from '../../runtime';
import { applyDevSecrets, startDevLandscape } from './dev-landscape';

export interface ServeOptions {
  /** `pnpm start`: start a local redis-server if needed and build the designer if missing. */
  bootstrap?: boolean;
  worker?: boolean;
}

const designerDist = fileURLToPath(new URL('../../../../designer/dist', import.meta.url));

function buildDesigner(): void {
  if (existsSync(designerDist)) return;
  process.stderr.write('crossdock: building the designer (designer/dist is missing)…\n');
  const result = spawnSync('pnpm', ['--filter', '@crossdock/designer', 'build'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write(
      'crossdock: the designer did not build; the API runs without it. Build it with `pnpm --filter @crossdock/designer build`.\n',
    );
  }
}

/** `crossdock serve`: the HTTP API, workers and the designer in one process. */
export async function serveCommand(options: ServeOptions): Promise<number> {
  const redisChild = options.bootstrap ? await ensureLocalRedis(process.env) : undefined;
  if (options.bootstrap) buildDesigner();
  loadDotEnv();
  const config = loadConfig();
  assertApiKeysConfigured(config);
  const landscape = options.bootstrap && isDevelopment(config);
  if (landscape) applyDevSecrets(process.env);
  const runtime = createRuntime(config, { catalog, executors });
  if (options.worker !== false) runtime.startWorker();
  const app = createApp(runtime, { designerDist });
  const server = app.listen(config.port);
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
      env: config.envName,
      prefix: config.prefix,
      designer: existsSync(designerDist),
    },
    `Crossdock listening on http://127.0.0.1:${config.port}`,
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
