import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp, type Runtime } from '@crossdock/runtime';
import { startTestSandbox } from '@crossdock/sandbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDevelopment } from '../../runtime/src/cli/commands/reset';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  flowDoc,
  flowsDirFor,
  memoryLog,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const prefix = uniquePrefix('reset');
const log = memoryLog();
let flows: { dir: string; remove(): void };
let dataDir: string;
let runtime: Runtime;
let http: Server;
let base = '';

const flow = flowDoc('dedupe-me', [node('t', 'trigger.manual')], [], {
  idempotencyKey: { cat: ['order:', { var: 'order' }] },
});

async function startRun(order: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/api/flows/dedupe-me/runs`, {
    method: 'POST',
    headers: { authorization: 'Bearer crossdock-dev-admin', 'content-type': 'application/json' },
    body: JSON.stringify({ order }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  flows = flowsDirFor('http://127.0.0.1:9');
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-data-'));
  runtime = testRuntime({ prefix, flowsDir: flows.dir, logStream: log.stream });
  runtime.startWorker(2);
  await runtime.flows.deploy(flow, 'test', new Date());
  http = serveChecked(createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }));
  await new Promise<void>((resolve) => http.once('listening', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await runtime.close();
  await cleanRedis(prefix);
  flows.remove();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('development reset and duplicate deliveries', () => {
  it('logs a duplicate at info level with the key and the existing run', async () => {
    const first = await startRun('A-1');
    expect(first.status).toBe(202);
    const again = await startRun('A-1');
    expect(again).toEqual({ status: 200, body: { runId: first.body.runId, duplicate: true } });
    const line = log.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.existingRunId === first.body.runId);
    expect(line).toMatchObject({
      level: 30,
      flowId: 'dedupe-me',
      idempotencyKey: 'order:A-1',
      source: 'api',
    });
    expect(String(line?.msg)).toContain('duplicate delivery');
  });

  it('`reset --dev` removes runs, dedupe keys and the sandbox state, and says so', async () => {
    const { runId } = (await startRun('B-1')).body as { runId: string };
    await waitForRun(runtime, runId);
    // A sandbox ERP with saved records, running on the port the dev environment names.
    const stateFile = path.join(dataDir, 'sandbox-dev.json');
    const sandbox = await startTestSandbox({ stateFile });
    try {
      writeFileSync(
        path.join(flows.dir, 'environments', 'dev.json'),
        JSON.stringify({
          name: 'dev',
          connections: { erp: { system: 'erp', baseUrl: sandbox.urls.erp } },
        }),
      );
      await fetch(`${sandbox.urls.erp}/_control/simulate/release-order`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          KUNNR: 'C-1',
          WERKS: 'P1',
          WE: { NAME1: 'n', STRAS: 's', ORT01: 'o', PSTLZ: '1', LAND1: 'DE' },
          ITEMS: [{ MATNR: 'M1', KWMENG: 1, VRKME: 'ST' }],
        }),
      });
      await sandbox.stop();
      expect(existsSync(stateFile)).toBe(true);
      const restarted = await startTestSandbox({ ports: { erp: sandbox.erp.port }, stateFile });
      try {
        const report = await resetDevelopment({
          ...process.env,
          CROSSDOCK_PREFIX: prefix,
          CROSSDOCK_FLOWS_DIR: flows.dir,
          CROSSDOCK_DATA_DIR: dataDir,
          CROSSDOCK_ENV: 'dev',
        });
        expect(report).toMatchObject({
          prefix,
          runs: 2,
          dedupeKeys: 2,
          sandboxFile: stateFile,
          sandboxFileRemoved: true,
          sandboxOrders: 1,
          sandboxSystemsReset: ['erp'],
        });
        expect(Object.keys(restarted.erp.runtime.state.orders)).toEqual([]);
      } finally {
        await restarted.stop();
      }
    } finally {
      await sandbox.stop().catch(() => {});
    }
    // The same order starts a new run now; deployed flows stayed.
    expect((await startRun('A-1')).status).toBe(202);
    expect(await runtime.flows.latest('dedupe-me')).toBeDefined();
  });

  it('refuses outside development and removes nothing', async () => {
    await expect(
      resetDevelopment({ ...process.env, CROSSDOCK_PREFIX: prefix, CROSSDOCK_ENV: 'test' }),
    ).rejects.toThrow(/development data only; CROSSDOCK_ENV is "test". Nothing was removed/);
    expect(
      await runtime.redis.exists(runtime.keys.partition(0).dedupe('dedupe-me', 'order:A-1')),
    ).toBe(1);
  });
});
