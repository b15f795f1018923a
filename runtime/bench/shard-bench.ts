/**
 * `pnpm --filter @crossdock/runtime bench:shards`: throughput of the bench's six-node order
 * flow (idempotency key, business key, two HTTP calls to a local stub) on one shard (a private
 * redis-server, CROSSDOCK_PARTITIONS=1) and on three (a local 3-master Redis Cluster started
 * like the cluster test, CROSSDOCK_PARTITIONS=3, one partition per master). One process does
 * intake (SHARD_RUNS starts, 200 at a time) and runs the workers (concurrency 50); the figures
 * are runs/s for intake and for runs to completion, and CPU ms per run of this process and of
 * the Redis server(s) together, read from /proc.
 *
 * On one machine the shards share its cores: a cluster cannot be faster here than one Redis,
 * it only shows what spreading costs. The gain comes with masters on their own machines.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/infra/config';
import { startLocalCluster } from '../src/infra/local-cluster';
import { createRuntime } from '../src/runtime';
import { benchDownstream, benchFlow, benchNodes } from './bench-nodes';

const RUNS = Number(process.env.SHARD_RUNS ?? 2000);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No free port.');
  return address.port;
}

/** A private single redis-server (no persistence), like the other benches use. */
async function startSingle(): Promise<{ url: string; pids: number[]; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => {});
    const ok = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (ok) break;
    await sleep(50);
  }
  return {
    url,
    pids: [child.pid ?? 0],
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

interface Result {
  shards: number;
  intakePerSec: number;
  runsPerSec: number;
  cpuPerRunMs: number;
  redisCpuPerRunMs: number;
}

async function measure(
  shards: number,
  redis: { url: string; pids: number[] },
  cluster: boolean,
): Promise<Result> {
  const { server, flowsDir } = await benchDownstream();
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    CROSSDOCK_REDIS_CLUSTER: cluster ? '1' : '0',
    CROSSDOCK_PARTITIONS: String(shards),
    CROSSDOCK_PREFIX: '{crossdock-shards}',
    CROSSDOCK_FLOWS_DIR: flowsDir,
    CROSSDOCK_MAX_QUEUE_DEPTH: String(RUNS * 2),
    LOG_LEVEL: 'warn',
  };
  const runtime = createRuntime(loadConfig(env), { ...benchNodes(), env });
  try {
    const base = benchFlow(true);
    const flow = {
      ...base,
      settings: { ...base.settings, idempotencyKey: { var: 'order.number' } },
    };
    await runtime.flows.deploy(flow, 'bench', new Date());
    const payload = (i: number) => ({
      order: { number: `SO-${i}`, qty: 1 + (i % 5), site: 'dc-east' },
    });
    const redisCpu = () => redis.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const cpu0 = selfCpuMs();
    const redis0 = redisCpu();
    const t0 = performance.now();
    runtime.startWorker(50);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i += 200) {
      const started = await Promise.all(
        Array.from({ length: Math.min(200, RUNS - i) }, (_, j) =>
          runtime.service.start({ flowId: flow.id, payload: payload(i + j) }),
        ),
      );
      ids.push(...started.map((s) => s.runId));
    }
    const intakeSec = (performance.now() - t0) / 1000;
    for (;;) {
      const counts = await Promise.all(
        runtime.keys.partitions.map((k) => runtime.redis.zcard(k.byStatus('succeeded'))),
      );
      if (counts.reduce((a, b) => a + b, 0) >= RUNS) break;
      if (performance.now() - t0 > 300_000) throw new Error('bench runs did not finish in 5 min');
      await sleep(50);
    }
    const totalSec = (performance.now() - t0) / 1000;
    return {
      shards,
      intakePerSec: RUNS / intakeSec,
      runsPerSec: RUNS / totalSec,
      cpuPerRunMs: (selfCpuMs() - cpu0) / RUNS,
      redisCpuPerRunMs: (redisCpu() - redis0) / RUNS,
    };
  } finally {
    await runtime.close();
    server.close();
    rmSync(flowsDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const single = await startSingle();
  try {
    results.push(await measure(1, single, false));
  } finally {
    await single.stop();
  }
  const cluster = await startLocalCluster(3);
  try {
    results.push(await measure(3, cluster, true));
  } finally {
    await cluster.stop();
  }
  console.log(`\nShards: ${RUNS} runs of the order flow, one process (intake + 50 workers)`);
  console.log(
    'shards  redis                  intake runs/s  runs/s  node CPU ms/run  redis CPU ms/run',
  );
  for (const r of results) {
    console.log(
      `${String(r.shards).padEnd(8)}${(r.shards === 1 ? '1 redis-server' : '3-master cluster').padEnd(23)}${r.intakePerSec.toFixed(0).padStart(13)}${r.runsPerSec.toFixed(0).padStart(8)}${r.cpuPerRunMs.toFixed(2).padStart(17)}${r.redisCpuPerRunMs.toFixed(2).padStart(18)}`,
    );
  }
  console.log(
    `cores: ${(await import('node:os')).cpus().length}. All shards share this machine's cores, so 3 shards cannot beat 1 here; spread masters over machines for the gain.`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
