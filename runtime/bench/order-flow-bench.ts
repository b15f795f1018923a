/**
 * `pnpm bench` (runtime): the order flow as a user meets it. A 1 KB sales order is posted to the
 * webhook of a real `crossdock serve` and one `crossdock worker` (the production build, on a
 * private redis-server) by autocannon at 10 and 50 connections, then paced at half the
 * measured maximum (evenly spaced requests, see order-flow/paced-load.ts). The WMS/TMS stub
 * counts runs as they finish (the TMS call) and gives the end-to-end latency from send to that
 * last call. CPU is read from /proc for every process of the engine (Redis included), and peak
 * RSS from VmHWM. The same run measures Crossdock's old code path (a checkpoint after every
 * step, no in-process flow cache) and Node-RED 4 doing the same work in function nodes, and
 * prints the ratios.
 *
 * BENCH_SECONDS (10) per phase, BENCH_ENGINES (crossdock,crossdock-old,node-red),
 * BENCH_PROFILE=<dir> writes --cpu-prof profiles of serve and worker there. On a busy machine,
 * BENCH_RATE=<runs/s> replaces the phases by one at that fixed rate (50 connections), so two
 * builds compare on the same work (CPU and Redis commands per run), and BENCH_CLI=<crossdock.js>
 * runs another build (say, a checkout of the previous commit).
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { installNodeRed, nodeRedUserDir } from './order-flow/node-red';
import { pacedLoad } from './order-flow/paced-load';
import { salesOrder } from './order-flow/sales-order';
import type { StubReply, StubRequest } from './order-flow/stub';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'crossdock,crossdock-old,node-red').split(',');
const PROFILE_DIR = process.env.BENCH_PROFILE;
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = process.env.BENCH_CLI
  ? path.resolve(process.env.BENCH_CLI)
  : path.resolve(here, '..', 'bin', 'crossdock.js');
const flowFile = path.join(here, 'order-flow', 'order-flow.flow.json');
const stubFile = path.join(here, 'order-flow', 'stub.ts');
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: field 14 (utime) and 15 (stime) of proc(5) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+)/.exec(status)?.[1];
  return Number(kb ?? 0) / 1024;
}

interface Proc {
  role: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function start(role: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    role,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(what: string, check: () => Promise<boolean>, procs: Proc[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (const p of procs) {
      if (p.child.exitCode !== null) throw new Error(`${p.role} exited:\n${p.output()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up`);
    await sleep(100);
  }
}

/** The WMS/TMS stub in its own process. */
interface Stub {
  url: string;
  stats(): Promise<Extract<StubReply, { kind: 'stats' }>>;
  arrivals(): Promise<[string, number][]>;
  stop(): void;
}

async function startStub(): Promise<Stub> {
  const child = fork(stubFile, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const waiting: ((r: StubReply) => void)[] = [];
  let ready: (port: number) => void = () => {};
  const port = new Promise<number>((r) => {
    ready = r;
  });
  child.on('message', (m: StubReply) => {
    if (m.kind === 'ready') ready(m.port);
    else waiting.shift()?.(m);
  });
  const ask = <K extends StubReply['kind']>(cmd: StubRequest) =>
    new Promise<Extract<StubReply, { kind: K }>>((resolve) => {
      waiting.push(resolve as (r: StubReply) => void);
      child.send(cmd);
    });
  return {
    url: `http://127.0.0.1:${await port}`,
    stats: () => ask<'stats'>({ cmd: 'stats' }),
    arrivals: async () => (await ask<'arrivals'>({ cmd: 'arrivals' })).arrivals,
    stop: () => child.kill('SIGTERM'),
  };
}

interface Engine {
  label: string;
  hookUrl: string;
  /** The processes whose CPU a run costs. */
  procs: Proc[];
  /** Commands the engine's Redis has processed so far (a count that load does not skew). */
  /** Commands Redis has processed and bytes it has read from its clients, so far. */
  redisTotals?(): Promise<{ commands: number; inputBytes: number }>;
  /** The same, by command (Redis's commandstats: commands inside scripts count too). */
  redisCommandStats?(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

async function startCrossdock(stub: Stub, legacy: boolean): Promise<Engine> {
  const flowsDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-order-bench-'));
  mkdirSync(path.join(flowsDir, 'environments'));
  const connection = { baseUrl: stub.url, allowPrivateNetwork: true, auth: { type: 'none' } };
  writeFileSync(
    path.join(flowsDir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: { wms: { system: 'wms', ...connection }, tms: { system: 'tms', ...connection } },
    }),
  );
  const redisPort = await freePort();
  const redis = start(
    'redis',
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    process.env,
  );
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    CROSSDOCK_ENV: 'dev',
    CROSSDOCK_API_KEYS: '',
    CROSSDOCK_FLOWS_DIR: flowsDir,
    CROSSDOCK_PREFIX: '{crossdock-bench}',
    CROSSDOCK_MAX_QUEUE_DEPTH: '1000000',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    ...(legacy ? { CROSSDOCK_CHECKPOINT: 'every-step', CROSSDOCK_FLOW_CACHE: 'off' } : {}),
  };
  const prof = (role: string) =>
    PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILE_DIR, `${legacy ? 'old-' : ''}${role}`)}`]
      : [];
  const serve = start(
    'serve',
    process.execPath,
    [...prof('serve'), cli, 'serve', '--no-worker'],
    env,
  );
  const worker = start('worker', process.execPath, [...prof('worker'), cli, 'worker'], env);
  const procs = [redis, serve, worker];
  const base = `http://127.0.0.1:${port}`;
  await waitUntil('crossdock serve', async () => (await fetch(`${base}/healthz`)).ok, procs);
  const probe = new Redis(`redis://127.0.0.1:${redisPort}`);
  const deployed = await fetch(`${base}/api/flows/bench-order-flow`, {
    method: 'PUT',
    headers: { authorization: 'Bearer crossdock-dev-admin', 'content-type': 'application/json' },
    body: readFileSync(flowFile, 'utf8'),
  });
  if (!deployed.ok) throw new Error(`deploy failed: ${deployed.status} ${await deployed.text()}`);
  return {
    label: legacy ? 'Crossdock, old path' : 'Crossdock',
    hookUrl: `${base}/hooks/bench/orders`,
    procs,
    async redisTotals() {
      const stats = await probe.info('stats');
      const read = (field: string) =>
        Number(new RegExp(`${field}:(\\d+)`).exec(stats)?.[1] ?? Number.NaN);
      return {
        commands: read('total_commands_processed'),
        inputBytes: read('total_net_input_bytes'),
      };
    },
    async redisCommandStats() {
      const stats = await probe.info('commandstats');
      return new Map(
        [...stats.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [
          m[1] as string,
          Number(m[2]),
        ]),
      );
    },
    async stop() {
      probe.disconnect();
      await serve.stop();
      await worker.stop();
      await redis.stop();
      rmSync(flowsDir, { recursive: true, force: true });
    },
  };
}

async function startNodeRed(stub: Stub): Promise<Engine & { version: string }> {
  const { redJs, version } = installNodeRed();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-bench-nr-user-'));
  const port = await freePort();
  const nr = start(
    'node-red',
    process.execPath,
    [redJs, ...nodeRedUserDir(dir, port, stub.url)],
    process.env,
  );
  const hookUrl = `http://127.0.0.1:${port}/bench/orders`;
  await waitUntil(
    'node-red',
    async () => (await fetch(hookUrl, { method: 'GET' })).status === 404,
    [nr],
  );
  // Node-RED answers 404 on GET before and after the flows start: wait for a POST that works.
  await waitUntil(
    'node-red flows',
    async () =>
      (
        await fetch(hookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(salesOrder(-1)),
        })
      ).status === 202,
    [nr],
  );
  return {
    label: `Node-RED ${version}`,
    version,
    hookUrl,
    procs: [nr],
    async stop() {
      await nr.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface PhaseResult {
  name: string;
  connections: number;
  rate?: number;
  accepted: number;
  refused: number;
  runsPerSec: number;
  ackP50: number;
  ackP99: number;
  e2eP50: number;
  e2eP99: number;
  cpuMsPerRun: number;
  /** CPU ms per run of each process. */
  cpuByRole: Record<string, number>;
  /** Redis commands per run (Crossdock). */
  redisPerRun?: number;
  redisBytesPerRun?: number;
  /** The same by command, most first. */
  redisByCommand?: [string, number][];
  lost: number;
  repeats: number;
}

let orderSeq = 0;

/** One load phase: autocannon, then the drain until every accepted order reached the TMS. */
async function phase(
  engine: Engine,
  stub: Stub,
  name: string,
  connections: number,
  seconds: number,
  rate?: number,
): Promise<PhaseResult> {
  await stub.arrivals();
  const sent = new Map<string, number>();
  const before = await stub.stats();
  const cpu = () => engine.procs.map((p) => cpuMs(p.child.pid as number));
  const cpuBefore = cpu();
  const totalsBefore = await engine.redisTotals?.();
  const statsBefore = await engine.redisCommandStats?.();
  const nextOrder = () => {
    orderSeq += 1;
    const order = salesOrder(orderSeq);
    sent.set(order.order.number as string, clock());
    return JSON.stringify(order);
  };
  const t0 = clock();
  // At a rate: evenly spaced requests (paced-load.ts says why not autocannon's overallRate).
  const load =
    rate !== undefined
      ? await pacedLoad({ url: engine.hookUrl, rate, seconds, connections, body: nextOrder })
      : await autocannon({
          url: engine.hookUrl,
          connections,
          duration: seconds,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          requests: [{ setupRequest: (req) => ({ ...req, body: nextOrder() }) }],
        }).then((r) => ({
          ok: r['2xx'],
          failed: r.non2xx + r.errors + r.timeouts,
          ackP50: r.latency.p50,
          ackP99: r.latency.p99,
        }));
  const ack =
    'ackMs' in load
      ? { ackP50: percentile(load.ackMs, 50), ackP99: percentile(load.ackMs, 99) }
      : load;
  const t1 = clock();
  const atEnd = await stub.stats();
  const accepted = load.ok;
  // Drain: every accepted order should reach the TMS; give up after 15 s without progress.
  let last = atEnd.orders;
  let lastChange = Date.now();
  let now = atEnd;
  while (now.orders - before.orders < accepted && Date.now() - lastChange < 15_000) {
    await sleep(100);
    now = await stub.stats();
    if (now.orders !== last) {
      last = now.orders;
      lastChange = Date.now();
    }
  }
  await sleep(200);
  now = await stub.stats();
  const cpuUsed = cpu().map((ms, i) => ms - (cpuBefore[i] ?? 0));
  const totalsAfter = await engine.redisTotals?.();
  const statsAfter = await engine.redisCommandStats?.();
  const arrivals = await stub.arrivals();
  const latencies = arrivals
    .map(([order, at]) => at - (sent.get(order) ?? Number.NaN))
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  const done = now.orders - before.orders;
  return {
    name,
    connections,
    ...(rate !== undefined ? { rate } : {}),
    accepted,
    refused: load.failed,
    runsPerSec: (atEnd.orders - before.orders) / ((t1 - t0) / 1000),
    ackP50: Math.round(ack.ackP50),
    ackP99: Math.round(ack.ackP99),
    e2eP50: percentile(latencies, 50),
    e2eP99: percentile(latencies, 99),
    cpuMsPerRun: cpuUsed.reduce((a, b) => a + b, 0) / done,
    cpuByRole: Object.fromEntries(
      engine.procs.map((p, i) => [p.role, (cpuUsed[i] ?? 0) / done] as const),
    ),
    ...(totalsBefore && totalsAfter
      ? {
          redisPerRun: (totalsAfter.commands - totalsBefore.commands) / done,
          redisBytesPerRun: (totalsAfter.inputBytes - totalsBefore.inputBytes) / done,
        }
      : {}),
    ...(statsBefore && statsAfter
      ? {
          redisByCommand: [...statsAfter]
            .map(([cmd, n]) => [cmd, (n - (statsBefore.get(cmd) ?? 0)) / done] as [string, number])
            .filter(([, n]) => n >= 0.05)
            .sort((a, b) => b[1] - a[1]),
        }
      : {}),
    lost: Math.max(0, accepted - done),
    repeats: now.repeats - before.repeats,
  };
}

interface EngineResult {
  label: string;
  phases: PhaseResult[];
  maxRunsPerSec: number;
  rss: Record<string, number>;
}

async function measure(engine: Engine, stub: Stub): Promise<EngineResult> {
  console.log(`\n== ${engine.label} ==`);
  const show = (r: PhaseResult) =>
    console.log(
      `${r.name.padEnd(14)} ${String(r.connections).padStart(3)} conn  ${r.runsPerSec.toFixed(0).padStart(5)} runs/s  e2e p50 ${r.e2eP50.toFixed(0).padStart(5)} ms p99 ${r.e2eP99.toFixed(0).padStart(5)} ms  ack p50 ${r.ackP50} p99 ${r.ackP99} ms  CPU ${r.cpuMsPerRun.toFixed(2)} ms/run (${Object.entries(
        r.cpuByRole,
      )
        .map(([role, ms]) => `${role} ${ms.toFixed(2)}`)
        .join(
          ', ',
        )})  accepted ${r.accepted} refused ${r.refused} lost ${r.lost} repeated ${r.repeats}`,
    );
  await phase(engine, stub, 'warm-up', 10, Math.min(3, SECONDS));
  const phases: PhaseResult[] = [];
  if (RATE !== undefined) {
    const fixed = await phase(engine, stub, 'fixed rate', 50, SECONDS, RATE);
    show(fixed);
    if (fixed.redisByCommand)
      console.log(
        `  Redis per run: ${((fixed.redisBytesPerRun ?? 0) / 1024).toFixed(1)} KB in, ${fixed.redisPerRun?.toFixed(1)} commands: ${fixed.redisByCommand.map(([c, n]) => `${c} ${n.toFixed(1)}`).join(', ')}`,
      );
    const rss: Record<string, number> = {};
    for (const p of engine.procs) rss[p.role] = peakRssMb(p.child.pid as number);
    console.log(
      `peak RSS: ${Object.entries(rss)
        .map(([role, mb]) => `${role} ${mb.toFixed(0)} MB`)
        .join(', ')}`,
    );
    return { label: engine.label, phases: [fixed], maxRunsPerSec: fixed.runsPerSec, rss };
  }
  for (const connections of [10, 50]) {
    const r = await phase(engine, stub, `max`, connections, SECONDS);
    show(r);
    if (r.redisByCommand)
      console.log(
        `  Redis per run: ${((r.redisBytesPerRun ?? 0) / 1024).toFixed(1)} KB in, ${r.redisPerRun?.toFixed(1)} commands: ${r.redisByCommand.map(([c, n]) => `${c} ${n.toFixed(1)}`).join(', ')}`,
      );
    phases.push(r);
  }
  const maxRunsPerSec = Math.max(...phases.map((p) => p.runsPerSec));
  const paced = await phase(engine, stub, 'half max', 10, SECONDS, Math.round(maxRunsPerSec / 2));
  show(paced);
  phases.push(paced);
  const rss: Record<string, number> = {};
  for (const p of engine.procs) rss[p.role] = peakRssMb(p.child.pid as number);
  console.log(
    `peak RSS: ${Object.entries(rss)
      .map(([role, mb]) => `${role} ${mb.toFixed(0)} MB`)
      .join(', ')}`,
  );
  return { label: engine.label, phases, maxRunsPerSec, rss };
}

async function main(): Promise<void> {
  // The command rebuilds runtime/dist when a source is newer: once here, not in two processes.
  execFileSync(process.execPath, [cli, '--help'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const order = JSON.stringify(salesOrder(1));
  console.log(
    `Order-flow bench: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}, ${SECONDS} s per phase, order ${order.length} bytes with 5 lines, Node ${process.version}`,
  );
  const stub = await startStub();
  const results = new Map<string, EngineResult>();
  try {
    for (const name of ENGINES) {
      const engine =
        name === 'node-red'
          ? await startNodeRed(stub)
          : await startCrossdock(stub, name === 'crossdock-old');
      try {
        results.set(name, await measure(engine, stub));
      } finally {
        await engine.stop();
      }
    }
  } finally {
    stub.stop();
  }
  const at50 = (r: EngineResult | undefined) => r?.phases.find((p) => p.connections === 50);
  const paced = (r: EngineResult | undefined) => r?.phases.find((p) => p.rate !== undefined);
  const cd = results.get('crossdock');
  const old = results.get('crossdock-old');
  const nr = results.get('node-red');
  console.log(`\n== Summary (load average now ${os.loadavg()[0]?.toFixed(1)}) ==`);
  for (const r of results.values()) {
    console.log(
      `${r.label.padEnd(22)} ${at50(r)?.runsPerSec.toFixed(0).padStart(5)} runs/s at 50 conn, ${at50(r)?.cpuMsPerRun.toFixed(2)} ms CPU/run${at50(r)?.redisPerRun !== undefined ? `, ${at50(r)?.redisPerRun?.toFixed(1)} Redis commands/run` : ''}, e2e p99 at half max ${paced(r)?.e2eP99.toFixed(0)} ms, peak RSS ${Object.entries(
        r.rss,
      )
        .map(([k, v]) => `${k} ${v.toFixed(0)} MB`)
        .join(' ')}`,
    );
  }
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : 'n/a';
  if (cd && nr) {
    console.log(
      `Crossdock : Node-RED   runs/s at 50 conn ${ratio(at50(cd)?.runsPerSec, at50(nr)?.runsPerSec)}×, CPU per run ${ratio(at50(cd)?.cpuMsPerRun, at50(nr)?.cpuMsPerRun)}×`,
    );
  }
  if (cd && old) {
    console.log(
      `Crossdock : old path   runs/s at 50 conn ${ratio(at50(cd)?.runsPerSec, at50(old)?.runsPerSec)}×, CPU per run ${ratio(at50(cd)?.cpuMsPerRun, at50(old)?.cpuMsPerRun)}×`,
    );
  }
  if (old && nr) {
    console.log(
      `old path : Node-RED    runs/s at 50 conn ${ratio(at50(old)?.runsPerSec, at50(nr)?.runsPerSec)}×`,
    );
  }
  if (cd) {
    const c50 = at50(cd);
    const checks = [
      ['runs/s at 50 connections ≥ 1,000', (c50?.runsPerSec ?? 0) >= 1000],
      ['≥ 2.5× Node-RED', nr ? (c50?.runsPerSec ?? 0) >= 2.5 * (at50(nr)?.runsPerSec ?? 0) : false],
      ['CPU per run ≤ 1.5 ms', (c50?.cpuMsPerRun ?? 99) <= 1.5],
      ['e2e p99 at half max ≤ 250 ms', (paced(cd)?.e2eP99 ?? 1e9) <= 250],
      ['worker RSS < 200 MB', (cd.rss.worker ?? 1e9) < 200],
    ] as const;
    console.log(
      `targets: ${checks.map(([what, ok]) => `${ok ? 'met' : 'MISSED'}: ${what}`).join('; ')}`,
    );
  }
}

await main();
process.exit(0);
