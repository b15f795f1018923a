import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatFlow } from '@crossdock/nodes';
import { DEV_SANDBOX_SECRETS } from '@crossdock/runtime';
import type { Sandbox } from '@crossdock/sandbox';
import { startTestSandbox } from '@crossdock/sandbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossdockBin } from '../crossdock-bin';
import { edge, flowDoc, node } from './helpers';

let dir: string;
let sandbox: Sandbox;

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function writeDevEnvironment(wmsUrl: string): void {
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: {
        wms: {
          system: 'wms',
          baseUrl: wmsUrl,
          auth: { type: 'bearer', tokenSecret: 'WMS_TOKEN' },
          allowPrivateNetwork: true,
        },
      },
    }),
  );
}

function crossdockRun(): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INIT_CWD: dir,
    CROSSDOCK_FLOWS_DIR: dir,
    LOG_LEVEL: 'silent',
  };
  // The development defaults must do, as in `pnpm start`.
  for (const name of Object.keys(DEV_SANDBOX_SECRETS)) delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [crossdockBin, 'run', 'wms-list.flow.json', '--json'],
      { cwd: dir, env },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-run-dev-'));
  mkdirSync(path.join(dir, 'environments'));
  const flow = flowDoc(
    'wms-list',
    [
      node('t', 'trigger.manual'),
      node('list', 'connector.http', {
        connection: 'wms',
        method: 'GET',
        path: '/fulfillment-orders',
        output: 'body',
      }),
    ],
    [edge('t', 'list')],
  );
  writeFileSync(path.join(dir, 'wms-list.flow.json'), formatFlow(flow));
  sandbox = await startTestSandbox({ secrets: DEV_SANDBOX_SECRETS });
});

afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('crossdock run in development', () => {
  it('says which sandbox system is not running and how to start it, and runs nothing', async () => {
    const port = await closedPort();
    writeDevEnvironment(`http://127.0.0.1:${port}`);
    const result = await crossdockRun();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `crossdock: the sandbox WMS at http://127.0.0.1:${port} is not running; start it with \`pnpm crossdock sandbox\` (or \`pnpm start\`, which runs it too)\ncrossdock: wms-list was not run.\n`,
    );
  }, 60_000);

  it("uses the sandbox's development secrets when none are set, as `pnpm start` does", async () => {
    writeDevEnvironment(sandbox.urls.wms);
    const result = await crossdockRun();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'succeeded' });
    const calls = sandbox.wms.runtime.received.list({ path: '/fulfillment-orders' });
    expect(calls.map((c) => c.status)).toEqual([200]);
  }, 60_000);
});
