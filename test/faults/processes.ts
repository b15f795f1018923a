import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlowDocument, formatFlow } from '@crossdock/nodes';

import { createKeys, freePort } from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { crossdockBin } from '../crossdock-bin';
import {
  cleanRedis,
  flowsDirFor,
  startTestServer,
  type TestServer,
  uniquePrefix,
} from '../runtime/helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The kit's free-port probe, re-exported for the fault tests that take their helpers from here. */
export { freePort };

/** The development key `crossdock serve` accepts when CROSSDOCK_API_KEYS is empty. */
export const DEV_KEY = 'crossdock-dev-admin';

/** A real `crossdock serve` or `crossdock worker` process (the bundled CLI). */
export interface CrossdockProcess {
  child: ChildProcess;
  /** Everything it wrote (JSON logs at LOG_LEVEL, crashes). */
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILL, as an out-of-memory killer or a pulled plug would. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after `afterMs`; resolves when the process is gone. */
  stop(afterMs?: number): Promise<void>;
}

export function spawnCrossdock(args: string[], env: Record<string, string>): CrossdockProcess {
  const child = spawn(process.execPath, [crossdockBin, ...args], {
    cwd: root,
    env: {
      ...process.env,
      CROSSDOCK_ENV: 'dev',
      CROSSDOCK_API_KEYS: '',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const collect = (c: Buffer) => {
    stderr += c.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    output: () => stderr,
    exited,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop(afterMs = 10_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A private `redis-server` a fault test may kill: without persistence, or with AOF in `dir`. */
export interface PrivateRedis {
  url: string;
  /**
   * kill -9 and start again on the same port (and directory): without persistence every key is
   * gone, as after a crash; with AOF the keys come back from the append-only file.
   */
  restartEmpty(): Promise<void>;
  /** kill -9, nothing else: the server is down until `start`. */
  kill9(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(
  options: { aofDir?: string; args?: readonly string[] } = {},
): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess;
  // `always`: with `everysec` Redis answers before a write it postpones while its last fsync
  // runs, so a kill -9 on a busy disk may take up to 2 s of acknowledged writes with it (seen
  // here: 7 acknowledged runs gone, once in eight runs on a loaded machine); a test of zero loss
  // needs the setting that promises it (docs/reliability.md).
  const persistence = options.aofDir
    ? ['--dir', options.aofDir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...persistence,
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = createConnection(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restartEmpty() {
      await stop();
      await start();
    },
    kill9: stop,
    start,
    stop,
  };
}

/** Waits until `url/healthz` answers, failing early if the process exits. */
export async function waitHealthy(url: string, proc: CrossdockProcess): Promise<void> {
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`crossdock exited before it answered:\n${proc.output()}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`crossdock did not start:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * A downstream system that counts every call per order (the `order` query parameter) and, unlike
 * a careful real system, does NOT deduplicate by Idempotency-Key: every call counts, so a run
 * executed twice shows as a true duplicate.
 */
export interface CountingDownstream {
  server: TestServer;
  /** Calls per order id. */
  calls: Map<string, number>;
  /** Calls answered 2xx per order id: the effects (a shipment created, an order booked). */
  effects: Map<string, number>;
  /** Idempotency keys seen per order id. */
  keys: Map<string, Set<string>>;
  /** The HTTP status to answer a call for `order` with (200 unless a test says otherwise). */
  answer: (order: string) => number;
  close(): Promise<void>;
}

export async function countingDownstream(): Promise<CountingDownstream> {
  const server = await startTestServer();
  const calls = new Map<string, number>();
  const keys = new Map<string, Set<string>>();
  const state: CountingDownstream = {
    server,
    calls,
    effects: new Map(),
    keys,
    answer: () => 200,
    close: () => server.close(),
  };
  server.handler = (req, res) => {
    const order = new URL(req.url ?? '/', 'http://x').searchParams.get('order') ?? '?';
    calls.set(order, (calls.get(order) ?? 0) + 1);
    const key = String(req.headers['idempotency-key'] ?? '');
    keys.set(order, (keys.get(order) ?? new Set()).add(key));
    const status = state.answer(order);
    if (status < 300) state.effects.set(order, (state.effects.get(order) ?? 0) + 1);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(status < 300 ? '{"accepted":true}' : '{"error":"refused"}');
  };
  return state;
}

/**
 * Delivers `orders` (`{"order": <id>}`) to the webhook at `hookUrl` with 8 in flight, as a
 * partner would, adding each acknowledged run id to `answered`; returns the orders that got no
 * acknowledgement (refused, or no answer at all), which the partner sends again.
 */
export async function deliverOrders(
  hookUrl: string,
  orders: readonly string[],
  answered: Map<string, Set<string>>,
): Promise<string[]> {
  const unacked: string[] = [];
  let next = 0;
  async function lane(): Promise<void> {
    for (;;) {
      const order = orders[next++];
      if (order === undefined) return;
      try {
        const res = await fetch(hookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ order }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json()) as { runId?: string };
        if ((res.status === 202 || res.status === 200) && body.runId) {
          answered.set(order, (answered.get(order) ?? new Set()).add(body.runId));
        } else unacked.push(order);
      } catch {
        unacked.push(order);
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, lane));
  return unacked;
}

/** Writes a flow file into the flows folder the processes read. */
export function writeFlow(dir: string, flow: FlowDocument): void {
  writeFileSync(path.join(dir, `${flow.id}.flow.json`), formatFlow(flow));
}

/** Calls the API of a serve process with the development key. */
export async function api(
  url: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${DEV_KEY}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Waits until every run has ended, reading run status straight from Redis through `status`.
 * Returns the statuses; throws with the stragglers after `timeoutMs`.
 */
export async function waitAllEnded(
  runIds: readonly string[],
  status: (runId: string) => Promise<string | null>,
  timeoutMs = 60_000,
): Promise<Map<string, string | null>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = new Map<string, string | null>();
    for (const id of runIds) result.set(id, await status(id));
    const open = [...result].filter(
      ([, s]) => s !== 'succeeded' && s !== 'failed' && s !== 'discarded',
    );
    if (open.length === 0) return result;
    if (Date.now() > deadline) {
      throw new Error(
        `${open.length} runs did not end: ${open
          .slice(0, 10)
          .map(([id, s]) => `${id}=${s}`)
          .join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * What every fault test stands on: a counting downstream, a flows folder bound to it, a private
 * Redis prefix, and the `crossdock` processes it spawned, all stopped and removed by `stop`.
 */
export interface FaultStack {
  prefix: string;
  keys: ReturnType<typeof createKeys>;
  downstream: CountingDownstream;
  flows: { dir: string; remove(): void };
  redis: Redis;
  /** Spawns `crossdock <args>` on the stack's prefix and flows, with `env` and then `extra`. */
  start(args: string[], extra?: Record<string, string>): CrossdockProcess;
  stop(): Promise<void>;
}

export async function faultStack(
  name: string,
  env: Record<string, string> = {},
): Promise<FaultStack> {
  const prefix = uniquePrefix(`faults-${name}`);
  const downstream = await countingDownstream();
  const flows = flowsDirFor(downstream.server.url);
  const redis = new Redis('redis://127.0.0.1:6379');
  const procs: CrossdockProcess[] = [];
  return {
    prefix,
    keys: createKeys(prefix),
    downstream,
    flows,
    redis,
    start(args, extra = {}) {
      const proc = spawnCrossdock(args, {
        CROSSDOCK_PREFIX: prefix,
        CROSSDOCK_FLOWS_DIR: flows.dir,
        TEST_API_TOKEN: 'fault-token-123',
        ...env,
        ...extra,
      });
      procs.push(proc);
      return proc;
    },
    async stop() {
      for (const p of procs) await p.stop(3_000);
      await downstream.close();
      flows.remove();
      redis.disconnect();
      await cleanRedis(prefix);
    },
  };
}
