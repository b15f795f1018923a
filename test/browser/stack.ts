import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanRedis, freePort, uniquePrefix } from '@crossdock/runtime/testing';
import { type Browser, chromium } from 'playwright-core';
import {
  designerBuildReason,
  designerSources,
  ensureDesignerBuild,
} from '../../runtime/src/cli/designer-build';
import { crossdockBin } from '../crossdock-bin';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go (git-ignored). */
export const ARTIFACTS = path.join(root, 'test/artifacts');

/** The development key `crossdock serve` accepts when CROSSDOCK_API_KEYS is unset. */
export const DEV_KEY = 'crossdock-dev-admin';

/** A partner endpoint the flow's HTTP connector calls; records each request. */
export interface PartnerServer {
  url: string;
  requests: { method: string; path: string; body: unknown; idempotencyKey: string | null }[];
  /** Answers 422 to orders whose number starts with this prefix. */
  rejectPrefix: string;
  /**
   * While true, every request is recorded (the system took it) and answered 503, as a WMS that
   * accepted an order and then failed to answer; a sender must retry with the same key.
   */
  unavailable: boolean;
  close(): Promise<void>;
}

export async function startPartner(): Promise<PartnerServer> {
  const state: PartnerServer = {
    url: '',
    requests: [],
    rejectPrefix: 'BAD-',
    unavailable: false,
    close: async () => {},
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const key = req.headers['idempotency-key'];
      state.requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body,
        idempotencyKey: typeof key === 'string' ? key : null,
      });
      const ref = (body as { orderRef?: unknown } | null)?.orderRef;
      res.setHeader('content-type', 'application/json');
      if (state.unavailable) {
        res.statusCode = 503;
        res.end(JSON.stringify({ error: 'temporarily unavailable' }));
        return;
      }
      if (typeof ref === 'string' && ref.startsWith(state.rejectPrefix)) {
        res.statusCode = 422;
        res.end(JSON.stringify({ error: `order ${ref} is not known` }));
        return;
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ accepted: true, orderRef: ref ?? null }));
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
 * The designer's production build for a runtime a test starts in process (`designerDist`):
 * designer/dist, current (see `buildDesigner`) and shared read-only. Each file used to build a
 * copy of its own (2-3 s of both cores) so as not to race another file rebuilding designer/dist;
 * since the global setup builds it once and no file rebuilds it, they can share it.
 */
export function designerDist(): string {
  buildDesigner();
  return path.join(root, 'designer', 'dist');
}

/**
 * The designer's production build, which `crossdock serve` serves at `/`: built when missing or
 * older than its sources, for production (see `ensureDesignerBuild`). The tests' global setup
 * (test/builds.setup.ts) has done so before any file runs; a file never rebuilds designer/dist
 * unconditionally, as another file running beside it may be serving it.
 */
export function buildDesigner(): void {
  ensureDesignerBuild(root, path.join(root, 'designer', 'dist'));
  if (designerBuildReason(path.join(root, 'designer', 'dist'), designerSources(root))) {
    throw new Error('designer build failed (see its output above)');
  }
}

export interface Runtime {
  url: string;
  flowsDir: string;
  prefix: string;
  api(method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/**
 * Starts the real runtime (`crossdock serve`) on a free port, with a unique Redis prefix and a
 * temporary copy of flows/ whose dev environment binds the `partner` connection to `partnerUrl`
 * (and other connections to the base URLs in `baseUrls`, e.g. a sandbox on free ports).
 */
export async function startRuntime(
  partnerUrl: string,
  baseUrls: Record<string, string> = {},
  extraConnections: Record<string, unknown> = {},
): Promise<Runtime> {
  const flowsDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-browser-'));
  cpSync(path.join(root, 'flows'), flowsDir, { recursive: true });
  const envFile = path.join(flowsDir, 'environments', 'dev.json');
  const env = JSON.parse(readFileSync(envFile, 'utf8')) as { connections: Record<string, unknown> };
  env.connections.partner = {
    system: 'http',
    baseUrl: partnerUrl,
    auth: { type: 'none' },
    allowPrivateNetwork: true,
  };
  for (const [name, baseUrl] of Object.entries(baseUrls)) {
    env.connections[name] = { ...(env.connections[name] as object), baseUrl };
  }
  Object.assign(env.connections, extraConnections);
  writeFileSync(envFile, `${JSON.stringify(env, null, 2)}\n`);
  const port = await freePort();
  const prefix = uniquePrefix('browser');
  const child: ChildProcess = spawn(process.execPath, [crossdockBin, 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      CROSSDOCK_PREFIX: prefix,
      CROSSDOCK_FLOWS_DIR: flowsDir,
      CROSSDOCK_ENV: 'dev',
      CROSSDOCK_API_KEYS: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`crossdock serve exited:\n${stderr}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`crossdock serve did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    flowsDir,
    prefix,
    async api(method, p, body) {
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
    },
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
      rmSync(flowsDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
