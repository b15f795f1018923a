import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  catalog,
  type Environment,
  isHttpConnection,
  loadFlow,
  loadReconciliation,
  type ProcessDocument,
  type ReconciliationDocument,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import {
  createApp,
  createRuntime,
  loadConfig,
  type Runtime,
  type RunWithSteps,
} from '@crossdock/runtime';
import { cleanRedis, uniquePrefix } from '@crossdock/runtime/testing';
import type { Sandbox, SandboxSecrets } from '@crossdock/sandbox';
import { startTestSandbox } from '@crossdock/sandbox/testing';
import { serveChecked } from '../api-contract';

const repoFlows = fileURLToPath(new URL('../../flows/', import.meta.url));

const secrets: SandboxSecrets = {
  ERP_API_KEY: 'scenario-erp-key',
  WMS_TOKEN: 'scenario-wms-token',
  TMS_USER: 'sandbox-tms-user',
  TMS_PASSWORD: 'scenario-tms-password',
};

/** The sandbox, the real runtime on a private Redis prefix, and every flow in `flows/` deployed. */
export interface Scenario {
  sandbox: Sandbox;
  runtime: Runtime;
  /** The runtime's HTTP API (`/api/...`, `/hooks/...`). */
  apiUrl: string;
  /** Calls a sandbox system with its credentials; throws on 4xx/5xx. */
  call<T = unknown>(
    system: keyof Sandbox['urls'],
    method: string,
    p: string,
    body?: unknown,
  ): Promise<T>;
  /** Waits until the sandbox has delivered every event and no run is queued or running. */
  settle(timeoutMs?: number): Promise<void>;
  /** Every run of a flow, with steps. */
  runsOf(flowId: string): Promise<RunWithSteps[]>;
  stop(): Promise<void>;
}

function authHeaders(system: keyof Sandbox['urls']): Record<string, string> {
  switch (system) {
    case 'erp':
      return { 'x-api-key': secrets.ERP_API_KEY };
    case 'wms':
      return { authorization: `Bearer ${secrets.WMS_TOKEN}` };
    case 'tms':
      return {
        authorization: `Basic ${Buffer.from(`${secrets.TMS_USER}:${secrets.TMS_PASSWORD}`).toString('base64')}`,
      };
    case 'carrier':
      return {};
  }
}

/** A flows folder whose `dev` environment points the connections at this sandbox. */
function flowsDirFor(sandbox: Sandbox, adjust?: (dev: Environment) => void): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-scenario-'));
  mkdirSync(path.join(dir, 'environments'));
  const dev = JSON.parse(
    readFileSync(path.join(repoFlows, 'environments', 'dev.json'), 'utf8'),
  ) as Environment;
  for (const connection of Object.values(dev.connections)) {
    const url = sandbox.urls[connection.system as keyof Sandbox['urls']];
    if (url && isHttpConnection(connection)) connection.baseUrl = url;
  }
  adjust?.(dev);
  writeFileSync(path.join(dir, 'environments', 'dev.json'), JSON.stringify(dev));
  return dir;
}

/** The runtime's own HTTP API (webhooks included) on a free port, as `crossdock serve` runs it. */
async function serveApi(
  runtime: Runtime,
  designerDist?: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = serveChecked(createApp(runtime, designerDist ? { designerDist } : {}));
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The sample business processes in `flows/processes/`, parsed. */
export function repoProcesses(): ProcessDocument[] {
  const dir = path.join(repoFlows, 'processes');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.process.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ProcessDocument);
}

/** The sample reconciliation streams in `flows/reconciliations/`, validated. */
export function repoReconciliations(): ReconciliationDocument[] {
  const dir = path.join(repoFlows, 'reconciliations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const loaded = loadReconciliation(readFileSync(path.join(dir, f), 'utf8'));
      if (!loaded.reconciliation) throw new Error(`${f}: ${JSON.stringify(loaded.diagnostics)}`);
      return loaded.reconciliation;
    });
}

export async function startScenario(
  name: string,
  options: {
    concurrency?: number;
    processes?: ProcessDocument[];
    reconciliations?: ReconciliationDocument[];
    prefix?: string;
    /** More runtime settings (API keys). */
    env?: Record<string, string>;
    /** Serve the designer's built files too (browser tests). */
    designerDist?: string;
    /** Changes the `dev` environment before the runtime reads it (settings, rate limits). */
    environment?: (dev: Environment) => void;
  } = {},
): Promise<Scenario> {
  const prefix = options.prefix ?? uniquePrefix(`scn-${name}`);
  const sandbox = await startTestSandbox({
    secrets,
    // Scenarios start the runtime after the sandbox: deliveries retry until it listens.
    webhooks: { backoffMs: 100, maxAttempts: 10 },
  });
  const flowsDir = flowsDirFor(sandbox, options.environment);
  const env = {
    ...process.env,
    ...secrets,
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flowsDir,
    CROSSDOCK_SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const runtime = createRuntime(loadConfig(env), { catalog, executors, env, logDestination: sink });
  for (const file of readdirSync(repoFlows).filter((f) => f.endsWith('.flow.json'))) {
    const loaded = loadFlow(readFileSync(path.join(repoFlows, file), 'utf8'), catalog);
    if (!loaded.flow) throw new Error(`${file}: ${JSON.stringify(loaded.diagnostics)}`);
    await runtime.flows.deploy(loaded.flow, 'scenario', new Date());
  }
  // Deployed as the bootstrap deploys the process files (these may carry shortened SLAs).
  for (const p of options.processes ?? repoProcesses())
    await runtime.tower.processes.deploy(p, 'scenario', new Date());
  runtime.reconciliations.set(options.reconciliations ?? repoReconciliations());
  runtime.startWorker(options.concurrency ?? 20);
  const api = await serveApi(runtime, options.designerDist);
  sandbox.setWebhookBaseUrl(`${api.url}/hooks`);

  const scenario: Scenario = {
    sandbox,
    runtime,
    apiUrl: api.url,
    async call(system, method, p, body) {
      const response = await fetch(`${sandbox.urls[system]}${p}`, {
        method,
        headers: { 'content-type': 'application/json', ...authHeaders(system) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 400)
        throw new Error(`${system} ${method} ${p}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
    async settle(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await sandbox.idle();
        const counts = await runtime.queues.counts('waiting', 'active', 'delayed', 'prioritized');
        const busy = Object.values(counts).reduce((a, b) => a + b, 0);
        if (busy === 0) {
          await sandbox.idle();
          const again = await runtime.queues.counts('waiting', 'active', 'delayed', 'prioritized');
          if (Object.values(again).every((n) => n === 0)) return;
        }
        if (Date.now() > until) throw new Error(`still busy: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async runsOf(flowId) {
      const page = await runtime.runs.list({ flow: flowId, limit: 1000 });
      const runs: RunWithSteps[] = [];
      for (const summary of page.runs) {
        const run = await runtime.runs.get(summary.id);
        if (run) runs.push(run);
      }
      return runs;
    },
    async stop() {
      await sandbox.stop();
      await api.close();
      await runtime.close();
      rmSync(flowsDir, { recursive: true, force: true });
      await cleanRedis(prefix);
    },
  };
  return scenario;
}
