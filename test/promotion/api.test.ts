import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatFlow, formatJson } from '@crossdock/nodes';
import { createApp, diffCommand, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from '../runtime/helpers';

const ADMIN = 'admin-key-000001';
const ANALYST = 'analyst-key-0001';

function flow(version: string, weight = 30) {
  return {
    ...flowDoc(
      'weights',
      [
        node('start', 'trigger.manual'),
        node('heavy', 'rule.filter', { condition: { '>': [{ var: 'weight' }, weight] } }),
        node('shape', 'mapping.map', {
          fields: [{ target: 'kg', expression: { var: 'weight' } }],
        }),
      ],
      [edge('start', 'heavy'), edge('heavy', 'shape')],
    ),
    version,
  };
}

interface Started {
  runtime: Runtime;
  server: Server;
  url: string;
  prefix: string;
}

async function start(envName: string, dir: string): Promise<Started> {
  const prefix = uniquePrefix(`promo-api-${envName}`);
  const runtime = testRuntime({
    prefix,
    flowsDir: dir,
    env: { CROSSDOCK_ENV: envName, CROSSDOCK_API_KEYS: `admin:${ADMIN},analyst:${ANALYST}` },
  });
  runtime.startWorker(1);
  const server = serveChecked(createApp(runtime));
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    runtime,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    prefix,
  };
}

describe('promotion API failure paths', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-promo-api-'));
  let dev: Started;
  let prod: Started;
  const call = async (s: Started, method: string, p: string, body?: unknown, key = ADMIN) => {
    const res = await fetch(`${s.url}/api${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as { error?: { code: string; message: string } } & Record<
      string,
      unknown
    >;
    return { status: res.status, body: json, code: json.error?.code };
  };

  beforeAll(async () => {
    const envDir = path.join(dir, 'environments');
    mkdirSync(envDir);
    writeFileSync(
      path.join(envDir, 'prod.json'),
      formatJson({ name: 'prod', connections: {}, settings: { promotion: { approvals: 2 } } }),
    );
    dev = await start('dev', dir);
    prod = await start('prod', dir);
  });

  afterAll(async () => {
    for (const s of [dev, prod]) {
      await new Promise<void>((resolve) => {
        s.server.closeAllConnections();
        s.server.close(() => resolve());
      });
      await s.runtime.close();
      await cleanRedis(s.prefix);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses promotions it cannot take, and names why', async () => {
    expect((await call(prod, 'POST', '/promotions', { flow: flow('1.0.0') }, ANALYST)).status).toBe(
      403,
    );
    expect((await call(prod, 'POST', '/promotions', { nope: 1 })).code).toBe('invalid-body');
    const bad = await call(prod, 'POST', '/promotions', { flow: { ...flow('1.0.0'), nodes: [] } });
    expect([bad.status, bad.code]).toEqual([400, 'invalid-flow']);
    const binding = flow('1.0.0');
    binding.nodes.push(
      node('send', 'connector.http', { connection: 'nowhere', method: 'GET', path: '/' }),
    );
    binding.edges.push(edge('shape', 'send'));
    const missing = await call(prod, 'POST', '/promotions', { flow: binding });
    expect(JSON.stringify(missing.body)).toContain('nowhere');
    expect(missing.status).toBe(400);
    expect((await call(prod, 'POST', '/promotions/prm_unknown/approve')).status).toBe(404);
    expect((await call(prod, 'POST', '/flows/weights/rollback', {})).status).toBe(404);

    const pending = await call(prod, 'POST', '/promotions', { flow: flow('1.0.0'), from: 'test' });
    expect(pending.status).toBe(202);
    const id = (pending.body.promotion as { id: string }).id;
    const approved = await call(
      prod,
      'POST',
      `/promotions/${id}/approve`,
      undefined,
      ADMIN.replace('1', '2'),
    );
    expect(approved.status).toBe(401);
    const listed = await call(prod, 'GET', '/promotions?flow=weights');
    expect((listed.body.promotions as { status: string }[]).map((p) => p.status)).toEqual([
      'pending',
    ]);
    expect((await call(prod, 'POST', `/promotions/${id}/approve`)).code).toBe('same-approver');
  });

  it('rolls back only to a version that exists, and saves test cases only in development', async () => {
    expect((await call(dev, 'PUT', '/flows/weights', flow('1.0.0'))).status).toBe(201);
    const none = await call(dev, 'POST', '/flows/weights/rollback', {});
    expect([none.status, none.code]).toEqual([409, 'no-previous-version']);
    expect((await call(dev, 'POST', '/flows/weights/rollback', { version: '0.0.1' })).status).toBe(
      404,
    );
    expect((await call(dev, 'PUT', '/flows/weights', flow('1.1.0', 25))).status).toBe(201);
    const older = await call(dev, 'POST', '/promotions', { flow: flow('1.0.5', 20) });
    expect([older.status, older.code]).toEqual([409, 'version-not-bumped']);

    const started = await call(dev, 'POST', '/flows/weights/runs', { weight: 40 }, ANALYST);
    const runId = String(started.body.runId);
    await waitForRun(dev.runtime, runId);
    expect(
      (await call(dev, 'POST', `/runs/${runId}/test-case`, { name: 'Bad Name' }, ANALYST)).status,
    ).toBe(400);
    expect(
      (await call(dev, 'POST', '/runs/run_nope/test-case', { name: 'x' }, ANALYST)).status,
    ).toBe(404);
    expect(
      (await call(dev, 'POST', `/runs/${runId}/test-case`, { name: 'heavy' }, ANALYST)).status,
    ).toBe(201);
    const cases = await call(dev, 'GET', '/flow-files/weights/test-cases');
    expect((cases.body.testCases as { name: string }[]).map((c) => c.name)).toEqual(['heavy']);
    expect((await call(prod, 'POST', `/runs/${runId}/test-case`, { name: 'y' })).code).toBe(
      'read-only-environment',
    );
    const doc = await call(dev, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths as object)).toEqual(
      expect.arrayContaining([
        '/api/promotions',
        '/api/promotions/{id}/approve',
        '/api/flows/{id}/rollback',
        '/api/runs/{id}/test-case',
      ]),
    );
  });

  it('crossdock diff compares <flow>@<version> on a runtime with a file, in rule terms', async () => {
    const file = path.join(dir, 'weights.flow.json');
    writeFileSync(file, formatFlow(flow('1.2.0', 25)));
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(await diffCommand('weights@1.0.0', file, { url: dev.url, key: ADMIN })).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const text = lines.join('');
    expect(text).toContain('weight > 30');
    expect(text).toContain('weight > 25');
    expect(text).toMatch(/heavy/i);
    await expect(diffCommand('weights@9.9.9', file, { url: dev.url, key: ADMIN })).rejects.toThrow(
      /No version 9\.9\.9/,
    );
  });
});
