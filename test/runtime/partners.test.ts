import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  flowsDirFor,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
} from './helpers';

const prefix = uniquePrefix('partners');
const repoPartners = fileURLToPath(new URL('../../flows/partners/', import.meta.url));
let server: TestServer;
let runtime: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  mkdirSync(path.join(flows.dir, 'partners'));
  copyFileSync(path.join(repoPartners, 'exfl.json'), path.join(flows.dir, 'partners', 'exfl.json'));
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: { CROSSDOCK_API_KEYS: 'viewer:viewer-key-1' },
  });
  http = serveChecked(createApp(runtime, {}));
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

describe('trading partners in the runtime', () => {
  it('lists the partner profiles on GET /api/partners and documents the route', async () => {
    const res = await fetch(`${base}/api/partners`, {
      headers: { authorization: 'Bearer viewer-key-1' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partners: { id: string; isa: { id: string } }[] };
    expect(body.partners.map((p) => [p.id, p.isa.id])).toEqual([['exfl', 'EXFL']]);
    const doc = await fetch(`${base}/api/openapi.json`, {
      headers: { authorization: 'Bearer viewer-key-1' },
    }).then((r) => r.json() as Promise<{ paths: Record<string, unknown> }>);
    expect(Object.keys(doc.paths)).toContain('/api/partners');
    expect((await fetch(`${base}/api/partners`)).status).toBe(401);
  });

  it('refuses to start with an invalid profile, naming the file and the field', () => {
    const bad = flowsDirFor(server.url);
    try {
      mkdirSync(path.join(bad.dir, 'partners'));
      writeFileSync(
        path.join(bad.dir, 'partners', 'acme.json'),
        JSON.stringify({ id: 'acme', name: 'Acme', isa: { qualifier: 'ZZ', id: 'ACME' } }),
      );
      expect(() => testRuntime({ prefix: `${prefix}-bad`, flowsDir: bad.dir })).toThrow(
        /partners\/acme\.json is invalid at \$\.us: The field "us" is required/,
      );
    } finally {
      bad.remove();
    }
  });
});
