import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  catalog,
  createCatalog,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  type JsonValue,
  manifests,
  type NodeExecutor,
  type NodeManifest,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { Redis } from 'ioredis';
import type { RunWithSteps } from '../../runtime/src/engine/run-types';
import { loadConfig } from '../../runtime/src/infra/config';
import { createRuntime, type Runtime } from '../../runtime/src/runtime';

/** A `connector.http` node calling `path` on the test server (connection `api`). */
export function httpNode(id: string, path: string, extra: Partial<FlowNode> = {}): FlowNode {
  return node(
    id,
    'connector.http',
    { connection: 'api', method: 'POST', path, output: 'body' },
    extra,
  );
}

/** A local HTTP endpoint that counts calls per path and answers with a scripted handler. */
export interface TestServer {
  url: string;
  calls: Map<string, number>;
  keys: string[];
  bodies: string[];
  handler: (req: IncomingMessage, res: ServerResponse, body: string, count: number) => void;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    calls: new Map(),
    keys: [],
    bodies: [],
    handler: (_req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, echo: body ? (JSON.parse(body) as JsonValue) : null }));
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const p = req.url ?? '/';
      const count = (state.calls.get(p) ?? 0) + 1;
      state.calls.set(p, count);
      state.keys.push(String(req.headers['idempotency-key'] ?? ''));
      state.bodies.push(`${JSON.stringify(req.headers)} ${body}`);
      state.handler(req, res, body, count);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/**
 * A flows folder with `environments/dev.json` binding connection `api` to the test server;
 * `secrets` declares further secret names (webhook signature secrets).
 */
export function flowsDirFor(
  serverUrl: string,
  options: { secrets?: string[] } = {},
): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-flows-'));
  mkdirSync(path.join(dir, 'environments'));
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: {
        api: {
          system: 'http',
          baseUrl: serverUrl,
          // The test server is on loopback, which the SSRF defence refuses by default.
          allowPrivateNetwork: true,
          auth: { type: 'bearer', tokenSecret: 'TEST_API_TOKEN' },
        },
      },
      ...(options.secrets ? { secrets: options.secrets } : {}),
    }),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function uniquePrefix(name: string): string {
  return `{cdtest-${name}-${randomUUID().slice(0, 8)}}`;
}

/** Deletes every key under a test prefix. */
export async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** Collects log lines in memory. */
export function memoryLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

export interface TestRuntimeOptions {
  prefix: string;
  /** Test-only node types on top of the library (for behaviour the library does not offer). */
  extraNodes?: { manifests: NodeManifest[]; executors: Record<string, NodeExecutor> };
  flowsDir: string;
  env?: Record<string, string>;
  logStream?: Writable;
}

export function testRuntime(options: TestRuntimeOptions): Runtime {
  const env = {
    ...process.env,
    CROSSDOCK_PREFIX: options.prefix,
    CROSSDOCK_FLOWS_DIR: options.flowsDir,
    CROSSDOCK_SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: options.logStream ? 'info' : 'silent',
    ...options.env,
  };
  return createRuntime(loadConfig(env), {
    catalog: options.extraNodes
      ? createCatalog([...manifests, ...options.extraNodes.manifests])
      : catalog,
    executors: options.extraNodes ? { ...executors, ...options.extraNodes.executors } : executors,
    env,
    ...(options.logStream ? { logDestination: options.logStream } : {}),
  });
}

export function node(
  id: string,
  type: string,
  config: FlowNode['config'] = {},
  extra: Partial<FlowNode> = {},
): FlowNode {
  return { id, type, name: id, position: { x: 0, y: 0 }, config, ...extra };
}

export function edge(source: string, target: string, sourcePort = 'out'): FlowEdge {
  return { id: `${source}-${sourcePort}-${target}`, source, sourcePort, target, targetPort: 'in' };
}

const fastRetry = {
  maxAttempts: 3,
  backoff: { initialMs: 20, multiplier: 2, maxMs: 200, jitter: 0.1 },
};

export function flowDoc(
  id: string,
  nodes: FlowNode[],
  edges: FlowEdge[],
  settings: FlowDocument['settings'] = {},
): FlowDocument {
  return {
    schemaVersion: 1,
    id,
    name: id,
    version: '1.0.0',
    settings: { retry: fastRetry, ...settings },
    nodes,
    edges,
  };
}

/** Polls the run's status until it ends, then reads the whole run. */
export async function waitForRun(
  runtime: Runtime,
  runId: string,
  timeoutMs = 15_000,
): Promise<RunWithSteps> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await runtime.redis.hget(runtime.keys.run(runId), 'status');
    if (status === 'succeeded' || status === 'failed' || status === 'discarded') {
      const run = await runtime.runs.get(runId);
      if (run) return run;
    }
    if (Date.now() > until) throw new Error(`Run ${runId} did not end (status ${status}).`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
