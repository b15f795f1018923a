/**
 * `pnpm bench`: Crossdock flow runs against a raw BullMQ no-op baseline on the same machine,
 * the same job count, concurrency and worker-process count. Prints runs/s, p50/p99 latency at
 * 50% of the measured maximum, peak worker RSS, and the ratio to the baseline.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/infra/config';
import { createRuntime } from '../src/runtime';
import { benchDownstream, benchFlow, benchNodes, HTTP_TYPE } from './bench-nodes';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 8);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Node flags of the worker processes. A worker's live data is small (a checkpoint per run in
 * flight); capping the old space makes V8 collect instead of growing, which keeps RSS down.
 */
const WORKER_FLAGS = (process.env.BENCH_WORKER_FLAGS ?? '--max-old-space-size=96')
  .split(' ')
  .filter(Boolean);
const prefix = `{crossdock-bench-${randomUUID().slice(0, 8)}}`;
const workerScript = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));
let bundle = '';

/** Workers run as one bundled file on plain node, as a deployment would (no tsx in memory). */
async function bundleWorker(dir: string): Promise<string> {
  const out = path.join(dir, 'bench-worker.mjs');
  await build({
    entryPoints: [workerScript],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ESM builds first: jsonc-parser's UMD build requires files dynamically.
    mainFields: ['module', 'main'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire as cdCreateRequire } from 'node:module'; const require = cdCreateRequire(import.meta.url);",
    },
  });
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Workers {
  children: ChildProcess[];
  peakRss(): number;
  peakHeap(): number;
  /** CPU milliseconds all workers used since they were ready. */
  cpuMs(): number;
  stop(): Promise<void>;
}

async function startWorkers(mode: 'noop' | 'flow', env: NodeJS.ProcessEnv): Promise<Workers> {
  let peak = 0;
  let peakHeap = 0;
  const children: ChildProcess[] = [];
  const cpuAtReady = new Map<ChildProcess, number>();
  const cpuNow = new Map<ChildProcess, number>();
  await Promise.all(
    Array.from({ length: WORKERS }, () => {
      const child = fork(bundle, [mode], {
        env,
        execArgv: [
          ...WORKER_FLAGS,
          ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/cdprof'] : []),
        ],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.on(
          'message',
          (m: { rss?: number; heap?: number; cpuMs?: number; ready?: boolean }) => {
            if (m.rss !== undefined) peak = Math.max(peak, m.rss);
            if (m.heap !== undefined) peakHeap = Math.max(peakHeap, m.heap);
            if (m.cpuMs !== undefined) cpuNow.set(child, m.cpuMs);
            if (m.ready) {
              cpuAtReady.set(child, m.cpuMs ?? 0);
              resolve();
            }
          },
        );
        child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
      });
    }),
  );
  return {
    children,
    peakRss: () => peak,
    peakHeap: () => peakHeap,
    cpuMs: () =>
      children.reduce((sum, c) => sum + (cpuNow.get(c) ?? 0) - (cpuAtReady.get(c) ?? 0), 0),
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.removeAllListeners('exit');
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(20);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const cpus = os.cpus().length;
  console.log(
    `Crossdock bench: ${RUNS} runs, concurrency ${CONCURRENCY} per worker, ${WORKERS} worker processes, ${cpus} CPUs, HTTP node ${HTTP_TYPE}, worker flags "${WORKER_FLAGS.join(' ')}"`,
  );

  const { server, flowsDir } = await benchDownstream();
  const env = {
    ...process.env,
    REDIS_URL,
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flowsDir,
    CROSSDOCK_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
  };
  bundle = await bundleWorker(flowsDir);
  const redis = new Redis(REDIS_URL);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const runtime = createRuntime(loadConfig(env), { ...benchNodes(), env });

  try {
    // 1. Raw BullMQ baseline: no-op processor, same job count, concurrency and processes.
    const noop = new Queue('noop', { connection, prefix });
    await noop.pause();
    for (let i = 0; i < RUNS; i += 1000) {
      await noop.addBulk(
        Array.from({ length: Math.min(1000, RUNS - i) }, (_, j) => ({
          name: 'noop',
          data: { i: i + j },
          opts: { removeOnComplete: true },
        })),
      );
    }
    const baselineWorkers = await startWorkers('noop', env);
    const b0 = Date.now();
    await noop.resume();
    await waitFor(async () => {
      const c = await noop.getJobCounts('waiting', 'active', 'paused');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.paused ?? 0) === 0;
    });
    const baselinePerSec = RUNS / ((Date.now() - b0) / 1000);
    await sleep(250);
    const cpuPerJob = baselineWorkers.cpuMs() / RUNS;
    await baselineWorkers.stop();
    await noop.close();

    // 2. Flow runs at full speed: runs triggered up front, then the workers let loose.
    // BENCH_NO_HTTP=1 swaps the HTTP nodes for mappings: the engine's own cost, for comparison.
    const flow = benchFlow(process.env.BENCH_NO_HTTP !== '1');
    await runtime.flows.deploy(flow, 'bench', new Date());
    const succeeded = runtime.keys.partition(0).byStatus('succeeded');
    await runtime.queues.forPartition(0).pause();
    const payload = (i: number) => ({
      order: { number: `SO-${i}`, qty: 1 + (i % 5), site: 'dc-east' },
    });
    for (let i = 0; i < RUNS; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, RUNS - i) }, (_, j) =>
          runtime.service.start({ flowId: flow.id, payload: payload(i + j) }),
        ),
      );
    }
    const flowWorkers = await startWorkers('flow', env);
    const f0 = Date.now();
    await runtime.queues.forPartition(0).resume();
    await waitFor(async () => (await redis.zcard(succeeded)) >= RUNS);
    const flowPerSec = RUNS / ((Date.now() - f0) / 1000);
    await sleep(250);
    const cpuPerRun = flowWorkers.cpuMs() / RUNS;
    const failed = await redis.zcard(runtime.keys.partition(0).byStatus('failed'));

    // 3. Paced load at 50% of the maximum: latency from trigger to completion.
    const rate = flowPerSec / 2;
    const total = Math.max(1, Math.round(rate * PACED_SECONDS));
    const ids: string[] = [];
    const p0 = Date.now();
    const inFlight: Promise<void>[] = [];
    while (ids.length < total) {
      const due = Math.min(total, Math.floor(((Date.now() - p0) / 1000) * rate));
      while (ids.length < due) {
        const n = RUNS + ids.length;
        ids.push('');
        const slot = ids.length - 1;
        inFlight.push(
          runtime.service.start({ flowId: flow.id, payload: payload(n) }).then((s) => {
            ids[slot] = s.runId;
          }),
        );
      }
      await sleep(5);
    }
    await Promise.all(inFlight);
    await waitFor(async () => (await redis.zcard(succeeded)) >= RUNS + total);
    const latencies: number[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const m = redis.multi();
      for (const id of ids.slice(i, i + 500)) m.hmget(runtime.keys.run(id), 'createdAt', 'endedAt');
      for (const [, v] of (await m.exec()) ?? []) {
        const [created, ended] = v as [string, string];
        latencies.push(Number(ended) - Number(created));
      }
    }
    latencies.sort((a, b) => a - b);
    const peak = flowWorkers.peakRss();
    const heap = flowWorkers.peakHeap();
    await flowWorkers.stop();

    const fmt = (n: number) => n.toFixed(0);
    console.log('');
    console.log(`raw BullMQ no-op baseline:   ${fmt(baselinePerSec)} jobs/s`);
    console.log(
      `Crossdock flow runs (6 nodes, durable steps, full traces): ${fmt(flowPerSec)} runs/s${failed ? ` (${failed} failed!)` : ''}`,
    );
    console.log(
      `ratio flow runs/s : baseline jobs/s = ${(flowPerSec / baselinePerSec).toFixed(2)}`,
    );
    console.log(
      `paced load ${fmt(rate)} runs/s for ${PACED_SECONDS}s (${total} runs): p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms (trigger to completion)`,
    );
    console.log(
      `worker CPU per run: ${cpuPerRun.toFixed(2)} ms (baseline ${cpuPerJob.toFixed(3)} ms per job); load average ${os.loadavg()[0]?.toFixed(1)}`,
    );
    console.log(
      `peak worker RSS: ${(peak / 1024 / 1024).toFixed(0)} MB (V8 heap ${(heap / 1024 / 1024).toFixed(0)} MB)`,
    );
  } finally {
    await runtime.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    connection.disconnect();
    server.close();
    rmSync(flowsDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
