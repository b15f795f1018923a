import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { formatJson, formatProcess, type ProcessDocument } from '@crossdock/nodes';
import { createApp, deployProcessFiles, promoteCommand, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const ADMIN = 'admin-key-000001';
const OPERATOR = 'operator-key-0001';
const ADMIN2 = 'admin-key-000002';
const KEYS = `admin:${ADMIN},admin:${ADMIN2},operator:${OPERATOR}`;
const flows = flowsDirFor('http://127.0.0.1:9');

const orders = flowDoc(
  'orders',
  [node('t', 'trigger.manual'), node('m', 'mapping.map', { fields: [], keepSource: true })],
  [edge('t', 'm')],
  { businessKeys: { order: { var: 'number' } } },
);

function processV(version: string, within = 'PT1H'): ProcessDocument {
  return {
    schemaVersion: 1,
    id: 'o2c',
    name: 'Orders',
    version,
    businessKey: 'order',
    milestones: [
      { id: 'received', name: 'Received', on: [{ flow: 'orders', node: 't' }] },
      { id: 'mapped', name: 'Mapped', on: [{ flow: 'orders', node: 'm' }] },
    ],
    expectations: [
      {
        id: 'unmapped',
        name: 'Not mapped',
        after: 'received',
        expect: 'mapped',
        within,
        owner: 'desk',
        severity: 'low',
      },
    ],
    checks: [],
  };
}

interface Started {
  runtime: Runtime;
  server: Server;
  url: string;
}

const prefixes: string[] = [];
const started: Started[] = [];

async function start(envName: string, prefix: string): Promise<Started> {
  const runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: { CROSSDOCK_ENV: envName, CROSSDOCK_API_KEYS: KEYS },
  });
  const server = serveChecked(createApp(runtime));
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const s = { runtime, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  started.push(s);
  return s;
}

async function call(s: Started, method: string, p: string, body?: unknown, key = ADMIN) {
  const res = await fetch(`${s.url}/api${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown> & {
    error?: { code: string; message: string; details?: { diagnostics?: unknown[] } };
  };
  return { status: res.status, body: json, code: json.error?.code };
}

let dev: Started;
let devWorker: Started;
let prod: Started;

beforeAll(async () => {
  writeFileSync(
    path.join(flows.dir, 'environments', 'prod.json'),
    formatJson({ name: 'prod', connections: {} }),
  );
  const devPrefix = uniquePrefix('procver-dev');
  const prodPrefix = uniquePrefix('procver-prod');
  prefixes.push(devPrefix, prodPrefix);
  dev = await start('dev', devPrefix);
  // A second runtime on the same Redis prefix: another worker of the same environment.
  devWorker = await start('dev', devPrefix);
  prod = await start('prod', prodPrefix);
  for (const s of [dev, prod]) await s.runtime.flows.deploy(orders, 'test', new Date());
});

afterAll(async () => {
  for (const s of started) {
    await new Promise<void>((resolve) => {
      s.server.closeAllConnections();
      s.server.close(() => resolve());
    });
    await s.runtime.close();
  }
  for (const p of prefixes) await cleanRedis(p);
  flows.remove();
});

describe('business process versions', () => {
  it('deploys a version through the API; every worker observes it without a restart', async () => {
    expect(await devWorker.runtime.tower.fresh()).toEqual([]);
    const denied = await call(dev, 'PUT', '/processes/o2c', processV('1.0.0'), OPERATOR);
    expect(denied.status).toBe(403);
    const put = await call(dev, 'PUT', '/processes/o2c', processV('1.0.0'));
    expect(put.status).toBe(201);
    // The designer edits only where a deploy would be taken: an admin key in development.
    expect((await call(dev, 'GET', '/processes')).body.editable).toBe(true);
    expect((await call(dev, 'GET', '/processes', undefined, OPERATOR)).body.editable).toBe(false);
    expect((await call(prod, 'GET', '/processes')).body.editable).toBe(false);
    expect(put.body).toMatchObject({ id: 'o2c', version: '1.0.0', created: true, active: true });
    // Another worker hears the announcement: well before its 5 s re-read.
    const t0 = Date.now();
    for (;;) {
      const seen = await devWorker.runtime.tower.fresh();
      if (seen.some((p) => p.version === '1.0.0')) break;
      expect(Date.now() - t0).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    // ...and records milestones with it: a run taken by that worker's engine.
    devWorker.runtime.startWorker(2);
    const { runId } = await dev.runtime.service.start({
      flowId: 'orders',
      payload: { number: 'O-1' },
    });
    await waitForRun(dev.runtime, runId);
    // The last step's milestone is recorded just after the run is saved as done.
    let stage: unknown;
    for (let i = 0; i < 100 && stage !== 'mapped'; i++) {
      stage = (await call(dev, 'GET', '/processes/o2c/objects/O-1')).body.stage;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stage).toBe('mapped');

    // The same content again changes nothing; other content under the number is a conflict.
    const again = await call(dev, 'PUT', '/processes/o2c', processV('1.0.0'));
    expect([again.status, again.body.created]).toEqual([200, false]);
    const conflict = await call(dev, 'PUT', '/processes/o2c', processV('1.0.0', 'PT2H'));
    expect([conflict.status, conflict.code]).toEqual([409, 'version-conflict']);
  });

  it('refuses a bad process with diagnostics (path and message) and changes nothing', async () => {
    const before = await call(dev, 'GET', '/processes/o2c/versions');
    const bad = processV('1.1.0', 'in two hours');
    bad.milestones[1] = { id: 'mapped', name: 'Mapped', on: [{ flow: 'nowhere', node: 'x' }] };
    const refused = await call(dev, 'PUT', '/processes/o2c', bad);
    expect([refused.status, refused.code]).toEqual([400, 'invalid-process']);
    const diagnostics = refused.body.error?.details?.diagnostics as {
      path: string;
      message: string;
    }[];
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '$.expectations[0].within',
          message: expect.stringContaining('"in two hours" is not an ISO 8601 duration'),
        }),
        expect.objectContaining({
          path: '$.milestones[1].on[0].flow',
          message: expect.stringContaining('There is no flow "nowhere"'),
        }),
      ]),
    );
    const wrongId = await call(dev, 'PUT', '/processes/other', processV('1.1.0'));
    expect(wrongId.code).toBe('invalid-process');
    expect(await call(dev, 'GET', '/processes/o2c/versions')).toEqual(before);
    expect((await call(dev, 'GET', '/processes/other/versions')).status).toBe(404);
    expect((await call(dev, 'GET', '/processes/o2c')).body.version).toBe('1.0.0');
  });

  it('a higher version becomes active, a lower one does not; rollback is audited', async () => {
    expect((await call(dev, 'PUT', '/processes/o2c', processV('2.0.0', 'PT2H'))).status).toBe(201);
    const lower = await call(dev, 'PUT', '/processes/o2c', processV('1.5.0'));
    expect([lower.status, lower.body.active]).toEqual([201, false]);
    expect((await call(dev, 'GET', '/processes/o2c')).body.version).toBe('2.0.0');
    const versions = (await call(dev, 'GET', '/processes/o2c/versions')).body.versions as {
      version: string;
      active?: boolean;
    }[];
    expect(versions.map((v) => [v.version, v.active === true])).toEqual([
      ['2.0.0', true],
      ['1.5.0', false],
      ['1.0.0', false],
    ]);
    const one = await call(dev, 'GET', '/processes/o2c/versions/1.0.0');
    expect((one.body.process as ProcessDocument).expectations[0]?.within).toBe('PT1H');

    expect((await call(dev, 'POST', '/processes/o2c/rollback', {}, OPERATOR)).status).toBe(403);
    const rollback = await call(dev, 'POST', '/processes/o2c/rollback', {});
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({
      kind: 'rollback',
      processId: 'o2c',
      version: '1.5.0',
      previousVersion: '2.0.0',
    });
    expect((await call(dev, 'GET', '/processes/o2c')).body.version).toBe('1.5.0');
    const to = await call(dev, 'POST', '/processes/o2c/rollback', { version: '1.0.0' });
    expect(to.body.version).toBe('1.0.0');
    const audit = await call(dev, 'GET', '/promotions?process=o2c');
    expect((audit.body.promotions as { version: string }[]).map((p) => p.version)).toEqual([
      '1.0.0',
      '1.5.0',
    ]);
    const none = await call(dev, 'POST', '/processes/o2c/rollback', {});
    expect(none.code).toBe('no-previous-version');
    expect((await call(dev, 'POST', '/processes/nope/rollback', {})).status).toBe(404);
    // The other worker follows the rollback too.
    const t0 = Date.now();
    while ((await devWorker.runtime.tower.fresh())[0]?.version !== '1.0.0') {
      expect(Date.now() - t0).toBeLessThan(2_000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('outside development a process arrives only by promotion, with the audit record', async () => {
    const put = await call(prod, 'PUT', '/processes/o2c', processV('1.0.0'));
    expect([put.status, put.code]).toEqual([403, 'promotion-required']);
    const bad = await call(prod, 'POST', '/promotions', {
      process: { ...processV('1.0.0', 'soon'), escalation: undefined },
    });
    expect([bad.status, bad.code]).toEqual([400, 'invalid-process']);
    expect(JSON.stringify(bad.body.error?.details)).toContain('expectations[0].within');
    expect((await call(prod, 'GET', '/processes/o2c/versions')).status).toBe(404);

    const dry = await call(prod, 'POST', '/promotions', {
      process: processV('1.0.0'),
      dryRun: true,
    });
    expect([dry.status, dry.body.status, dry.body.current]).toEqual([200, 'ready', null]);
    const published = await call(prod, 'POST', '/promotions', {
      process: processV('1.0.0'),
      from: 'test',
      commit: 'abc123',
    });
    expect(published.status).toBe(201);
    const promotion = published.body.promotion as { id: string; processId: string };
    expect(promotion).toMatchObject({ processId: 'o2c', status: 'published', from: 'test' });
    const deployed = await call(prod, 'GET', '/processes/o2c/versions/1.0.0');
    expect(deployed.body).toMatchObject({ promotionId: promotion.id, commit: 'abc123' });
    expect((await call(prod, 'GET', '/processes')).body.processes).toHaveLength(1);
    const doc = await call(prod, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/api/processes/{id}/versions',
        '/api/processes/{id}/versions/{version}',
        '/api/processes/{id}/rollback',
      ]),
    );
    expect(
      Object.keys((doc.body.paths as Record<string, object>)['/api/processes/{id}'] ?? {}),
    ).toContain('put');

    const notBumped = await call(prod, 'POST', '/promotions', {
      process: processV('1.0.0', 'PT3H'),
    });
    expect(notBumped.code).toBe('version-conflict');
    const same = await call(prod, 'POST', '/promotions', { process: processV('1.0.1') });
    expect(same.code).toBe('content-unchanged');
    const lower = await call(prod, 'POST', '/promotions', { process: processV('0.9.0', 'PT3H') });
    expect(lower.code).toBe('version-not-bumped');
  });

  it('holds a process promotion for a second admin where the environment asks', async () => {
    writeFileSync(
      path.join(flows.dir, 'environments', 'stage.json'),
      formatJson({ name: 'stage', connections: {}, settings: { promotion: { approvals: 2 } } }),
    );
    const prefix = uniquePrefix('procver-stage');
    prefixes.push(prefix);
    const stage = await start('stage', prefix);
    // The flows first: a process naming a flow the target does not run is refused.
    const early = await call(stage, 'POST', '/promotions', { process: processV('1.0.0') });
    expect([early.status, early.code]).toEqual([400, 'invalid-process']);
    expect(JSON.stringify(early.body)).toContain('There is no flow \\"orders\\"');
    await stage.runtime.flows.deploy(orders, 'test', new Date());
    const pending = await call(stage, 'POST', '/promotions', { process: processV('1.0.0') });
    expect([pending.status, pending.body.status]).toEqual([202, 'pending']);
    const id = (pending.body.promotion as { id: string }).id;
    expect((await call(stage, 'GET', '/processes')).body.processes).toEqual([]);
    expect((await call(stage, 'POST', `/promotions/${id}/approve`)).code).toBe('same-approver');
    const approved = await call(stage, 'POST', `/promotions/${id}/approve`, undefined, ADMIN2);
    expect(approved.body).toMatchObject({ processId: 'o2c', status: 'published' });
    expect(approved.body.process).toBeUndefined();
    expect((await call(stage, 'GET', '/processes/o2c')).body.version).toBe('1.0.0');
  });

  it('the CLI promotes a process file, and refuses a bad one with its diagnostics', async () => {
    const dir = path.join(flows.dir, 'processes');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(flows.dir, 'orders.flow.json'), `${JSON.stringify(orders)}\n`);
    const file = path.join(dir, 'o2c.process.json');
    const lines: string[] = [];
    const promote = () =>
      promoteCommand(file, {
        to: 'prod',
        from: 'test',
        url: prod.url,
        key: ADMIN,
        commit: 'def456',
        flowsDir: flows.dir,
        processEnv: {},
        write: (t) => lines.push(t),
      });
    writeFileSync(file, formatProcess(processV('1.1.0', 'PT4X')));
    expect(await promote()).toBe(1);
    expect(lines.join('')).toContain('process.duration');
    expect((await call(prod, 'GET', '/processes/o2c')).body.version).toBe('1.0.0');
    lines.length = 0;
    writeFileSync(file, formatProcess(processV('1.1.0', 'PT4H')));
    expect(await promote()).toBe(0);
    expect(lines.join('')).toContain('published: process o2c@1.1.0 in prod');
    expect((await call(prod, 'GET', '/processes/o2c')).body.version).toBe('1.1.0');
  });

  it('the bootstrap deploys the process files after the flows, skipping a bad one', async () => {
    const prefix = uniquePrefix('procver-boot');
    prefixes.push(prefix);
    const boot = await start('dev', prefix);
    await boot.runtime.flows.deploy(orders, 'test', new Date());
    const dir = path.join(flows.dir, 'processes');
    writeFileSync(path.join(dir, 'o2c.process.json'), formatProcess(processV('1.0.0')));
    writeFileSync(
      path.join(dir, 'broken.process.json'),
      formatProcess({ ...processV('1.0.0'), id: 'broken', businessKey: 'shipment' }),
    );
    expect(await deployProcessFiles(boot.runtime)).toEqual(['o2c']);
    expect(await deployProcessFiles(boot.runtime)).toEqual([]);
    expect((await boot.runtime.tower.fresh()).map((p) => p.id)).toEqual(['o2c']);
  });
});
