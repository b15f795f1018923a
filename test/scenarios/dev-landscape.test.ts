import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Environment, isHttpConnection } from '@crossdock/nodes';
import { createApp, type Runtime } from '@crossdock/runtime';
import type { Sandbox, WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDevSecrets, startDevLandscape } from '../../runtime/src/cli/commands/dev-landscape';
import { DEV_SANDBOX_SECRETS } from '../../runtime/src/cli/commands/sandbox';
import { cleanRedis, testRuntime, uniquePrefix } from '../runtime/helpers';

const repoFlows = fileURLToPath(new URL('../../flows/', import.meta.url));

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const prefix = uniquePrefix('dev-landscape');
let dir: string;
let runtime: Runtime;
let server: Server;
let sandbox: Sandbox | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-landscape-'));
  mkdirSync(path.join(dir, 'environments'));
  for (const f of readdirSync(repoFlows).filter((n) => n.endsWith('.flow.json'))) {
    copyFileSync(path.join(repoFlows, f), path.join(dir, f));
  }
  const dev = JSON.parse(
    readFileSync(path.join(repoFlows, 'environments', 'dev.json'), 'utf8'),
  ) as Environment;
  for (const connection of Object.values(dev.connections)) {
    if (!isHttpConnection(connection)) continue;
    connection.baseUrl = `http://127.0.0.1:${await freePort()}`;
  }
  writeFileSync(path.join(dir, 'environments', 'dev.json'), JSON.stringify(dev));
  const env: Record<string, string> = {};
  applyDevSecrets(env);
  runtime = testRuntime({ prefix, flowsDir: dir, env });
  runtime.startWorker(5);
  server = createApp(runtime).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  sandbox = await startDevLandscape(runtime, (server.address() as AddressInfo).port);
});

afterAll(async () => {
  await sandbox?.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
  await cleanRedis(prefix);
});

describe('pnpm start in development', () => {
  it('gives unset connection secrets the development values and keeps set ones', () => {
    const env: NodeJS.ProcessEnv = { WMS_TOKEN: 'mine' };
    applyDevSecrets(env);
    expect(env).toMatchObject({ ...DEV_SANDBOX_SECRETS, WMS_TOKEN: 'mine' });
  });

  it('deploys the flow files and starts a sandbox whose events run them', async () => {
    const flows = await runtime.flows.list();
    expect(flows.map((f) => f.id)).toContain('erp-order-release');
    const running = sandbox;
    if (!running) throw new Error('the sandbox did not start');
    const order = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../../sandbox/examples/sales-order.json', import.meta.url)),
        'utf8',
      ),
    );
    const released = await fetch(`${running.urls.erp}/_control/simulate/release-order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...order, VBELN: '0000700001' }),
    });
    expect(released.status).toBe(201);
    await running.idle();
    const until = Date.now() + 15_000;
    const held = () =>
      Object.values((running.wms.runtime.state as WmsState).orders).find(
        (o) => o.orderRef === '0000700001',
      );
    while (!held() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(held()).toMatchObject({ warehouse: 'DC-EAST', lines: [{ uom: 'EA' }, { uom: 'CS' }] });
  });
});
