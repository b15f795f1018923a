import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Environment, isHttpConnection } from '@crossdock/nodes';
import {
  applyDevSecrets,
  createApp,
  DEV_SANDBOX_SECRETS,
  deployFlowFiles,
  type Runtime,
  startDevLandscape,
  unavailableConnections,
} from '@crossdock/runtime';
import { freePort } from '@crossdock/runtime/testing';
import type { Sandbox, WmsState } from '@crossdock/sandbox';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import { cleanRedis, testRuntime, uniquePrefix, waitForRun } from '../runtime/helpers';
import { type BrokerSpace, brokerSpace } from '../transports/broker-kit';

const repoFlows = fileURLToPath(new URL('../../flows/', import.meta.url));

const prefix = uniquePrefix('dev-landscape');
let dir: string;
let runtime: Runtime;
let server: Server;
let sandbox: Sandbox | undefined;
let space: BrokerSpace;
const database = `crossdock_erp_${prefix
  .replace(/[^a-z0-9]/gi, '')
  .slice(-12)
  .toLowerCase()}`;
let dev: Environment;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-landscape-'));
  mkdirSync(path.join(dir, 'environments'));
  mkdirSync(path.join(dir, 'processes'));
  for (const f of readdirSync(repoFlows).filter((n) => n.endsWith('.flow.json'))) {
    copyFileSync(path.join(repoFlows, f), path.join(dir, f));
  }
  for (const f of readdirSync(path.join(repoFlows, 'processes'))) {
    copyFileSync(path.join(repoFlows, 'processes', f), path.join(dir, 'processes', f));
  }
  dev = JSON.parse(
    readFileSync(path.join(repoFlows, 'environments', 'dev.json'), 'utf8'),
  ) as Environment;
  // The services beyond HTTP on private places: a free SFTP port, a database and a vhost.
  space = brokerSpace('landscape');
  for (const connection of Object.values(dev.connections)) {
    if (connection.kind === 'sftp') connection.port = await freePort();
    if (connection.kind === 'postgres') connection.database = database;
    if (connection.kind === 'amqp') connection.vhost = space.vhost;
    if (!isHttpConnection(connection)) continue;
    connection.baseUrl = `http://127.0.0.1:${await freePort()}`;
  }
  writeFileSync(path.join(dir, 'environments', 'dev.json'), JSON.stringify(dev));
  const env: Record<string, string> = {};
  applyDevSecrets(env);
  // The sandbox reads its secrets and data folder from the process environment.
  process.env.CROSSDOCK_DATA_DIR = path.join(dir, '.crossdock');
  runtime = testRuntime({ prefix, flowsDir: dir, env });
  runtime.startWorker(5);
  server = serveChecked(createApp(runtime));
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
  space.remove();
  const admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  delete process.env.CROSSDOCK_DATA_DIR;
}, 30_000);

describe('pnpm start in development', () => {
  it('gives unset connection secrets the development values and keeps set ones', () => {
    const env: NodeJS.ProcessEnv = { WMS_TOKEN: 'mine' };
    applyDevSecrets(env);
    expect(env).toMatchObject({ ...DEV_SANDBOX_SECRETS, WMS_TOKEN: 'mine' });
  });

  it('deploys the flow and process files and starts a sandbox whose events run them', async () => {
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
    // The process files were deployed after the flows, and observe them.
    expect((await runtime.tower.fresh()).map((p) => p.id)).toEqual([
      'freight-settlement',
      'inbound-receipt',
      'order-to-cash',
    ]);
    let stage: string | undefined;
    for (let i = 0; i < 100 && stage !== 'fulfillment-created'; i++) {
      stage = (await runtime.tower.store.get('order-to-cash', '0000700001'))?.stage;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stage).toBe('fulfillment-created');
  });

  it('provisions the ERP staging table; the staging flow makes its NEW rows WMS orders', async () => {
    const running = sandbox as Sandbox;
    expect(running.partners.status.filter((p) => !p.ok)).toEqual([]);
    const staged = await fetch(`${running.urls.erp}/_control/staging/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(staged.status).toBe(201);
    const added = (await staged.json()) as { order_number: string };
    expect(added.order_number).toBe('4500017303'); // after the two seeded orders
    const started = await runtime.service.start({
      flowId: 'erp-staging-orders',
      triggerNodeId: 'n-trigger',
      payload: { firedAt: new Date().toISOString() },
    });
    const run = await waitForRun(runtime, started.runId, 30_000);
    expect(run.status).toBe('succeeded');
    const list = (await (await fetch(`${running.urls.erp}/_control/staging/orders`)).json()) as {
      orders: Array<{ order_number: string; status: string }>;
    };
    expect(list.orders.map((o) => [o.order_number, o.status]).sort()).toEqual([
      ['4500017301', 'SENT'],
      ['4500017302', 'SENT'],
      ['4500017303', 'SENT'],
    ]);
    const wmsOrders = Object.values((running.wms.runtime.state as WmsState).orders);
    expect(wmsOrders.map((o) => o.orderRef)).toEqual(
      expect.arrayContaining(['4500017301', '4500017302', '4500017303']),
    );
  }, 60_000);

  it('publishes a confirmed pick to RabbitMQ, where the AMQP sample flow takes it', async () => {
    const running = sandbox as Sandbox;
    const picked = await fetch(`${running.urls.wms}/_control/simulate/pick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderRef: '0000700001' }), // released through the ERP above
    });
    expect(picked.status).toBeLessThan(300);
    await running.idle();
    const deadline = Date.now() + 20_000;
    let runs: Array<{ flowId: string; status: string }> = [];
    while (Date.now() < deadline) {
      runs = (await runtime.runs.list({ key: '0000700001', limit: 50 })).runs;
      if (runs.some((r) => r.flowId === 'wms-pick-complete-amqp' && r.status === 'succeeded'))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs.filter((r) => r.flowId === 'wms-pick-complete-amqp')).toEqual([
      expect.objectContaining({ status: 'succeeded' }),
    ]);
  }, 60_000);

  it('serves the carrier SFTP drop: a 214 the carrier drops is listed through the connection', async () => {
    const running = sandbox as Sandbox;
    const dropped = await fetch(`${running.urls.carrier}/_control/simulate/milestone`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Reference: 'SHP-LANDSCAPE-1', StatusCode: 'AF', Delivery: 'sftp' }),
    });
    expect(dropped.status).toBe(202);
    await running.idle();
    const connection = runtime.transports.connection('carrier-sftp', 'sftp');
    const client = await runtime.transports.client(connection);
    const files = await client.capability.list('/outbound/214');
    expect(files).toHaveLength(1);
    const content = await client.capability.read(files[0]?.path as string, { maxBytes: 100_000 });
    expect(Buffer.from(content).toString('utf8')).toMatch(/^ISA\*/);
    // The trigger's own move (to the archive) works on the drop as on OpenSSH.
    await client.capability.rename(files[0]?.path as string, '/archive/214/checked.edi');
    expect(await client.capability.list('/outbound/214')).toEqual([]);
    expect((await client.capability.list('/archive/214')).map((f) => f.name)).toEqual([
      'checked.edi',
    ]);
  }, 30_000);

  it('says once that a flow is not scheduled when its service is not reachable', async () => {
    const unavailable = unavailableConnections(dev, [
      { name: 'stagingDb', ok: false, where: 'x', problem: 'connect ECONNREFUSED 127.0.0.1:1' },
    ]);
    expect([...unavailable.keys()]).toEqual(['erp-db']);
    const warnings: string[] = [];
    const warn = runtime.log.warn.bind(runtime.log);
    runtime.log.warn = ((...args: unknown[]) => {
      warnings.push(String(args.find((a) => typeof a === 'string')));
      return (warn as (...a: unknown[]) => void)(...args);
    }) as typeof runtime.log.warn;
    try {
      await deployFlowFiles(runtime, unavailable);
    } finally {
      runtime.log.warn = warn;
    }
    expect(warnings.filter((w) => w.includes('not scheduled'))).toEqual([
      `erp-staging-orders: PostgreSQL at postgres://127.0.0.1:5432/${database} not reachable (connect ECONNREFUSED 127.0.0.1:1); flow not scheduled`,
    ]);
    const schedulers = await runtime.schedules.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).not.toContain('flow:erp-staging-orders');
  });
});
