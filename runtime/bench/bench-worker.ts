/**
 * A bench worker process: `noop` runs a raw BullMQ worker with an empty processor (the
 * baseline), `flow` runs the Crossdock worker. Reports its RSS to the parent every 200 ms.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/infra/config';
import { createRuntime } from '../src/runtime';
import { benchNodes } from './bench-nodes';

const mode = process.argv[2];
const config = loadConfig();

function report(): void {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  process.send?.({ rss: mem.rss, heap: mem.heapTotal, cpuMs: (cpu.user + cpu.system) / 1000 });
}
setInterval(report, 200).unref();
// Exit through process.exit so `--cpu-prof` (BENCH_PROFILE=1) writes its profile.
process.on('SIGTERM', () => process.exit(0));

if (mode === 'noop') {
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker('noop', async () => undefined, {
    connection,
    prefix: config.prefix,
    concurrency: config.concurrency,
  });
  await worker.waitUntilReady();
} else {
  const runtime = createRuntime(config, benchNodes());
  const { workers } = runtime.startWorker();
  await Promise.all(workers.map((w) => w.waitUntilReady()));
}
report();
process.send?.({ ready: true });
