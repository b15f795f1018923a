import { type Catalog, catalog, type NodeExecutor } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { ConfigError, loadConfig, loadDotEnv } from '../../infra/config';
import { limitHeapGrowth } from '../../infra/heap-growth';
import { onShutdown } from '../../infra/shutdown';
import { createRuntime } from '../../runtime';
import { UsageError } from '../files';

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
  limitHeapGrowth(config.heapGrowthPercent);
  const concurrency = options.concurrency ? Number(options.concurrency) : config.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(`--concurrency must be a positive integer, not "${options.concurrency}".`);
  }
  const runtime = createRuntime(config, nodes);
  const partitions = await runtime.partitionProblem();
  if (partitions) {
    await runtime.close();
    throw new ConfigError(partitions);
  }
  await runtime.watchEpoch();
  runtime.startWorker(concurrency);
  runtime.log.info({ prefix: config.prefix, concurrency, pid: process.pid }, 'worker started');
  onShutdown(runtime.log, () => runtime.close());
  return new Promise<number>(() => {});
}
