import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import { cleanRedis, freePort } from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { crossdockBin } from '../crossdock-bin';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const DEV_KEY = 'crossdock-dev-admin';

export interface EngineStackOptions {
  /** The dev environment's connections (flows/environments/dev.json). */
  connections: Record<string, unknown>;
  /** Extra process variables (secrets, limits). */
  env?: Record<string, string>;
  /** `serve --no-worker`: workers are started apart with `startWorker`. */
  noWorker?: boolean;
  /** CROSSDOCK_ENV and the environment file's name (default `dev`). */
  envName?: string;
}

/** A process of the real runtime (`crossdock serve` or `crossdock worker`). */
export interface RuntimeProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr (JSON log lines). */
  output(): string;
  /** Resolves with the exit code or signal once it has exited. */
  exited: Promise<string>;
}

/**
 * The real runtime in child processes on a unique Redis prefix and a temporary flows folder:
 * what an attacker meets. `api` talks to it with the development key.
 */
export interface EngineStack {
  url: string;
  prefix: string;
  server: RuntimeProcess;
  api(method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  deploy(flow: FlowDocument): Promise<void>;
  start(flowId: string, payload: JsonValue): Promise<string>;
  /** Polls `GET /api/runs/:id` until the run ends. */
  waitForRun(runId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  startWorker(): RuntimeProcess;
  /** Every key under the prefix with its whole value as text (hashes, lists, zsets, streams). */
  dumpRedis(): Promise<Map<string, string>>;
  stop(): Promise<void>;
}

function launch(args: string[], env: NodeJS.ProcessEnv): RuntimeProcess {
  const child = spawn(process.execPath, [crossdockBin, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  return { child, output: () => out, exited };
}

async function kill(proc: RuntimeProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 8_000);
  await proc.exited;
  clearTimeout(timer);
}

export async function startEngineStack(options: EngineStackOptions): Promise<EngineStack> {
  const flowsDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-sec-engine-'));
  mkdirSync(path.join(flowsDir, 'environments'));
  writeFileSync(
    path.join(flowsDir, 'environments', `${options.envName ?? 'dev'}.json`),
    JSON.stringify({ name: options.envName ?? 'dev', connections: options.connections }),
  );
  const port = await freePort();
  const prefix = `{cd-sec-engine-${randomUUID().slice(0, 8)}}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flowsDir,
    CROSSDOCK_ENV: options.envName ?? 'dev',
    CROSSDOCK_API_KEYS: '',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const server = launch(['serve', ...(options.noWorker ? ['--no-worker'] : [])], env);
  const workers: RuntimeProcess[] = [];
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (server.child.exitCode !== null) {
      rmSync(flowsDir, { recursive: true, force: true });
      throw new Error(`crossdock serve exited:\n${server.output()}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.child.kill('SIGKILL');
      throw new Error(`crossdock serve did not start:\n${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const redis = new Redis('redis://127.0.0.1:6379');

  const api: EngineStack['api'] = async (method, p, body) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${DEV_KEY}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  return {
    url,
    prefix,
    server,
    api,
    async deploy(flow) {
      const res = await api('PUT', `/api/flows/${flow.id}`, flow);
      if (res.status >= 300) throw new Error(`deploy failed: ${JSON.stringify(res.body)}`);
    },
    async start(flowId, payload) {
      const res = await api('POST', `/api/flows/${flowId}/runs`, payload);
      if (res.status !== 202) throw new Error(`start failed: ${JSON.stringify(res.body)}`);
      return (res.body as { runId: string }).runId;
    },
    async waitForRun(runId, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await api('GET', `/api/runs/${runId}`);
        const run = res.body as Record<string, unknown>;
        if (['succeeded', 'failed', 'discarded'].includes(String(run.status))) return run;
        if (Date.now() > until) throw new Error(`Run ${runId} did not end: ${run.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    startWorker() {
      const worker = launch(['worker'], env);
      workers.push(worker);
      return worker;
    },
    async dumpRedis() {
      const out = new Map<string, string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          let value: unknown;
          if (type === 'string') value = await redis.get(key);
          else if (type === 'hash') value = await redis.hgetall(key);
          else if (type === 'list') value = await redis.lrange(key, 0, -1);
          else if (type === 'set') value = await redis.smembers(key);
          else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
          else if (type === 'stream') value = await redis.xrange(key, '-', '+');
          out.set(key, JSON.stringify(value));
        }
      } while (cursor !== '0');
      return out;
    },
    async stop() {
      await Promise.all([...workers, server].map(kill));
      redis.disconnect();
      await cleanRedis(prefix);
      rmSync(flowsDir, { recursive: true, force: true });
    },
  };
}

/** A one-node-after-another flow document for the attacks (manual trigger first). */
export function chainFlow(
  id: string,
  nodes: { id: string; type: string; config: Record<string, JsonValue>; timeoutMs?: number }[],
): FlowDocument {
  const all = [{ id: 'start', type: 'trigger.manual', config: {} }, ...nodes];
  return {
    schemaVersion: 1,
    id,
    name: id,
    version: '1.0.0',
    settings: {
      retry: { maxAttempts: 1, backoff: { initialMs: 10, multiplier: 2, maxMs: 10, jitter: 0 } },
    },
    nodes: all.map((n, i) => ({
      id: n.id,
      type: n.type,
      name: n.id,
      position: { x: i * 200, y: 0 },
      config: n.config,
      ...('timeoutMs' in n && n.timeoutMs !== undefined ? { timeoutMs: n.timeoutMs } : {}),
    })),
    edges: all.slice(1).map((n, i) => ({
      id: `e${i}`,
      source: (all[i] as { id: string }).id,
      sourcePort: 'out',
      target: n.id,
      targetPort: 'in',
    })),
  } as FlowDocument;
}
