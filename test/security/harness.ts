import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlowDocument, formatJson } from '@crossdock/nodes';
import { createApp, type Runtime } from '@crossdock/runtime';
import { freePort } from '@crossdock/runtime/testing';
import { serveChecked } from '../api-contract';
import { crossdockBin } from '../crossdock-bin';
import { cleanRedis, edge, flowDoc, node, testRuntime, uniquePrefix } from '../runtime/helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Keys of every role, as `CROSSDOCK_API_KEYS` takes them. */
export const KEYS = {
  viewer: 'viewer-key-0001',
  analyst: 'analyst-key-001',
  operator: 'operator-key-01',
  admin: 'admin-key-00001',
} as const;
export const API_KEYS = Object.entries(KEYS)
  .map(([role, key]) => `${role}:${key}`)
  .join(',');

/** The secret signing the test webhooks, declared by the test environment. */
export const HOOK_SECRET_NAME = 'PARTNER_HOOK_SECRET';
export const HOOK_SECRET_VALUE = 'partner-hook-signing-secret';

/**
 * A flows folder whose `environments/<envName>.json` has no connections and declares
 * `HOOK_SECRET_NAME`, so webhook flows may be signed with it.
 */
export function securityFlowsDir(envName = 'dev'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-security-'));
  mkdirSync(path.join(dir, 'environments'));
  writeFileSync(
    path.join(dir, 'environments', `${envName}.json`),
    formatJson({ name: envName, connections: {}, secrets: [HOOK_SECRET_NAME] }),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A webhook flow: trigger on `hookPath` (signed when `secret` is given), one mapping. */
export function hookFlow(
  id: string,
  hookPath: string,
  options: { secret?: string; version?: string; idempotencyKey?: unknown } = {},
): FlowDocument {
  const flow = flowDoc(
    id,
    [
      node('hook', 'trigger.webhook', {
        path: hookPath,
        ...(options.secret !== undefined ? { signatureSecret: options.secret } : {}),
      }),
      node('map', 'mapping.map', { fields: [{ target: 'ref', expression: { var: 'order' } }] }),
    ],
    [edge('hook', 'map')],
    options.idempotencyKey !== undefined
      ? { idempotencyKey: options.idempotencyKey as FlowDocument['settings']['idempotencyKey'] }
      : {},
  );
  return { ...flow, version: options.version ?? '1.0.0' };
}

/** The headers a sender puts on a signed delivery (`<timestamp>.<raw body>`, HMAC-SHA256). */
export function signedHeaders(
  raw: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
  secret = HOOK_SECRET_VALUE,
): Record<string, string> {
  const ts = String(timestampSeconds);
  return {
    'content-type': 'application/json',
    'x-crossdock-timestamp': ts,
    'x-crossdock-signature': createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex'),
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or null when it is not JSON. */
  body: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}

export interface CallOptions {
  key?: string;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  /** Sent as is. */
  raw?: string;
  headers?: Record<string, string>;
}

/** One HTTP call on `base`: what an attacker would send with curl. */
export async function call(
  base: string,
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.raw;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${url}`, { method, headers, ...(body ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: (parsed ?? {}) as Answer['body'],
  };
}

/** A runtime and its HTTP API (createRuntime + createApp) on a real port and real Redis. */
export interface AppUnderTest {
  runtime: Runtime;
  url: string;
  prefix: string;
  flowsDir: string;
  call(method: string, url: string, options?: CallOptions): Promise<Answer>;
  stop(): Promise<void>;
}

export interface AppOptions {
  name: string;
  /** `CROSSDOCK_ENV`; `dev` unless given. */
  envName?: string;
  /** `CROSSDOCK_API_KEYS`; the four role keys of `KEYS` unless given ('' for the dev key). */
  apiKeys?: string;
  env?: Record<string, string>;
  worker?: boolean;
  /** A designer build to serve at `/` (see `buildDesignerInto`). */
  designerDist?: string;
}

export async function startApp(options: AppOptions): Promise<AppUnderTest> {
  const envName = options.envName ?? 'dev';
  const flows = securityFlowsDir(envName);
  const prefix = uniquePrefix(`sec-${options.name}`);
  const runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: {
      CROSSDOCK_ENV: envName,
      CROSSDOCK_API_KEYS: options.apiKeys ?? API_KEYS,
      [HOOK_SECRET_NAME]: HOOK_SECRET_VALUE,
      ...options.env,
    },
  });
  if (options.worker) runtime.startWorker(2);
  const server: Server = serveChecked(
    createApp(runtime, options.designerDist ? { designerDist: options.designerDist } : {}),
  );
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    runtime,
    url,
    prefix,
    flowsDir: flows.dir,
    call: (method, p, o) => call(url, method, p, o),
    async stop() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await runtime.close();
      await cleanRedis(prefix);
      flows.remove();
    },
  };
}

/**
 * Builds the designer into a folder of its own, so a browser test never races another one
 * rebuilding `designer/dist` under a running server.
 */
export function buildDesignerInto(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-security-dist-'));
  const built = spawnSync(
    'pnpm',
    ['--filter', '@crossdock/designer', 'exec', 'vite', 'build', '--outDir', dir, '--emptyOutDir'],
    { cwd: root, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`designer build failed:\n${built.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real `crossdock serve` process. */
export interface ServeProcess {
  url: string;
  /** Its flows folder (a temporary one, removed by `stop`). */
  flowsDir: string;
  port: number;
  prefix: string;
  output(): string;
  stop(): Promise<void>;
}

function spawnServe(env: Record<string, string>, flowsDir: string, prefix: string, port: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    // cwd is the temporary folder, so no `.env` of the checkout leaks into the test.
    [crossdockBin, 'serve', '--no-worker'],
    {
      cwd: flowsDir,
      env: {
        ...process.env,
        PORT: String(port),
        CROSSDOCK_PREFIX: prefix,
        CROSSDOCK_FLOWS_DIR: flowsDir,
        CROSSDOCK_API_KEYS: '',
        HOST: '',
        CROSSDOCK_ENV: '',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  return { child, output: () => output };
}

/**
 * Starts `crossdock serve` (API only, no worker) with `env` on a free port and waits for
 * `/healthz` on 127.0.0.1. Variables not given are unset (`CROSSDOCK_ENV`, `HOST`, keys).
 */
export async function startServe(name: string, env: Record<string, string>): Promise<ServeProcess> {
  const flows = securityFlowsDir(env.CROSSDOCK_ENV || 'dev');
  const prefix = uniquePrefix(`sec-serve-${name}`);
  const port = await freePort();
  const { child, output } = spawnServe(env, flows.dir, prefix, port);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`crossdock serve exited:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`crossdock serve did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    flowsDir: flows.dir,
    port,
    prefix,
    output,
    async stop() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
      await cleanRedis(prefix);
      flows.remove();
    },
  };
}

/** Runs `crossdock serve` expecting it to refuse to start; returns its exit code and output. */
export async function serveRefuses(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const flows = securityFlowsDir(env.CROSSDOCK_ENV || 'dev');
  const prefix = uniquePrefix('sec-serve-refused');
  const { child, output } = spawnServe(env, flows.dir, prefix, await freePort());
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (c) => resolve(c));
  });
  clearTimeout(timer);
  flows.remove();
  await cleanRedis(prefix);
  return { code, output: output() };
}

/** A non-loopback IPv4 address of this machine, if it has one. */
export function externalAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
