import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const prefix = uniquePrefix('connections');
let server: TestServer;
let runtime: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: {
      CROSSDOCK_API_KEYS: 'viewer:viewer-key-1,analyst:analyst-key-1,admin:admin-key-12',
      TEST_API_TOKEN: 'tok-value-1',
    },
  });
  runtime.startWorker(2);
  http = serveChecked(createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }));
  await new Promise((r) => http.once('listening', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

async function call(method: string, url: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

describe('connections API', () => {
  it('lists connections with secret names and whether each is set, never a value', async () => {
    const res = await call('GET', '/api/connections', 'viewer-key-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      environment: 'dev',
      editable: true,
      connections: [
        {
          name: 'api',
          system: 'http',
          baseUrl: server.url,
          auth: 'bearer',
          secrets: [{ name: 'TEST_API_TOKEN', set: true }],
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain('tok-value-1');
  });

  it('adds a connection to the file with the file’s validation, used at once', async () => {
    expect((await call('PUT', '/api/connections/wms2', 'analyst-key-1', {})).status).toBe(403);
    const bad = await call('PUT', '/api/connections/wms2', 'admin-key-12', { system: 'wms' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/baseUrl/);
    expect((await call('PUT', '/api/connections/Bad%20Name', 'admin-key-12', {})).status).toBe(400);

    const ok = await call('PUT', '/api/connections/wms2', 'admin-key-12', {
      system: 'wms',
      baseUrl: server.url,
      auth: { type: 'bearer', tokenSecret: 'WMS2_TOKEN' },
    });
    expect(ok.status).toBe(200);
    const file = JSON.parse(
      readFileSync(path.join(flows.dir, 'environments', 'dev.json'), 'utf8'),
    ) as { connections: Record<string, unknown> };
    expect(Object.keys(file.connections).sort()).toEqual(['api', 'wms2']);
    const listed = await call('GET', '/api/connections', 'viewer-key-1');
    expect(listed.body.connections).toContainEqual(
      expect.objectContaining({ name: 'wms2', secrets: [{ name: 'WMS2_TOKEN', set: false }] }),
    );

    // A run started now reaches the new connection, without a restart.
    const before = server.calls.get('/via-wms2') ?? 0;
    const flow = flowDoc(
      'via-wms2',
      [
        node('start', 'trigger.manual', {}),
        node('send', 'connector.http', {
          connection: 'wms2',
          method: 'POST',
          path: '/via-wms2',
          output: 'body',
        }),
      ],
      [edge('start', 'send')],
    );
    const started = await call('POST', '/api/flows/via-wms2/test-runs', 'admin-key-12', {
      flow,
      payload: {},
      send: true,
    });
    expect(started.status).toBe(202);
    const run = await waitForRun(runtime, String(started.body.runId));
    // The secret is not set, so the connector says which one; the connection itself was found.
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.steps.at(-1)?.error)).toMatch(/WMS2_TOKEN/);
    expect(server.calls.get('/via-wms2') ?? 0).toBe(before);
  });

  it('reloads the environment file without a restart', async () => {
    const envFile = path.join(flows.dir, 'environments', 'dev.json');
    const env = JSON.parse(readFileSync(envFile, 'utf8')) as {
      connections: Record<string, unknown>;
    };
    env.connections.tms9 = { system: 'tms', baseUrl: server.url };
    writeFileSync(envFile, JSON.stringify(env));
    expect((await call('POST', '/api/environment/reload', 'analyst-key-1')).status).toBe(403);
    expect((await call('POST', '/api/environment/reload', 'admin-key-12')).status).toBe(200);
    expect(Object.keys(runtime.environment.connections)).toContain('tms9');
    writeFileSync(envFile, '{"name": "dev", "connections": {"x": {"system": 1}}}');
    const broken = await call('POST', '/api/environment/reload', 'admin-key-12');
    expect(broken.status).toBe(400);
    expect(Object.keys(runtime.environment.connections)).toContain('tms9');
  });
});
