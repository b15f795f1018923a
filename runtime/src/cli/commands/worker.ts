import { type Catalog, catalog, type NodeExecutor } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { loadConfig, loadDotEnv } from '../../infra/config';
import { onShutdown } from '../../infra/shutdown';
import { createRuntime } from '../../runtime';

/** `crossdock worker`: workers only; start several against one Redis to scale out. */
export async function workerCommand(
  options: { concurrency?: string },
  nodes: { catalog: Catalog; executors: Readonly<Record<string, NodeExecutor>> } = {
    catalog,
    executors,
  },
): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const runtime = createRuntime(config, nodes);
  const concurrency = options.concurrency ? Number(options.concurrency) : config.concurrency;
  runtime.startWorker(concurrency);
  runtime.log.info({ prefix: config.prefix, concurrency, pid: process.pid }, 'worker started');
  onShutdown(runtime.log, () => runtime.close());
  return new Promise<number>(() => {});
}
