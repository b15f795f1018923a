import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type FlowDocument, formatFlow, formatJson } from '@crossdock/nodes';
import { createApp, promoteCommand, type Runtime, testCommand } from '@crossdock/runtime';
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
} from '../runtime/helpers';

const ENVS = ['dev', 'test', 'prod'] as const;
type EnvName = (typeof ENVS)[number];
const KEY_A = 'admin-key-alice-0001';
const KEY_B = 'admin-key-bob-000002';
const FLOW_ID = 'order-export';

interface Stage {
  name: EnvName;
  partner: TestServer;
  runtime: Runtime;
  server: Server;
  url: string;
  prefix: string;
  token: string;
}

/** The flow under promotion: trigger -> POST /orders on the partner -> shape the answer. */
function orderFlow(version: string, extra: Partial<FlowDocument> = {}): FlowDocument {
  const flow = flowDoc(
    FLOW_ID,
    [
      node('start', 'trigger.manual'),
      node('send', 'connector.http', {
        connection: 'partner',
        method: 'POST',
        path: '/orders',
        output: 'body',
      }),
      node('shape', 'mapping.map', {
        fields: [
          { target: 'accepted', expression: { var: 'ok' } },
          { target: 'ref', expression: { var: 'echo.orderRef' } },
        ],
      }),
    ],
    [edge('start', 'send'), edge('send', 'shape')],
  );
  return { ...flow, version, ...extra };
}

function environmentFile(name: EnvName, partnerUrl: string, runtimeUrl: string): string {
  const upper = name.toUpperCase();
  return formatJson({
    name,
    connections: {
      partner: {
        system: 'http',
        baseUrl: partnerUrl,
        allowPrivateNetwork: true,
        auth: { type: 'bearer', tokenSecret: `PARTNER_TOKEN_${upper}` },
        rateLimit: { max: name === 'prod' ? 100 : 20, windowMs: 1000 },
      },
      tracker: {
        system: 'http',
        baseUrl: partnerUrl,
        allowPrivateNetwork: true,
        auth: { type: 'bearer', tokenSecret: `TRACKER_TOKEN_${upper}` },
      },
    },
    settings: {
      runtime: { url: runtimeUrl, adminKeySecret: `ADMIN_KEY_${upper}` },
      ...(name === 'prod' ? { promotion: { approvals: 2 } } : {}),
    },
  });
}

describe('promotion of one flow through dev, test and prod', () => {
  const flows = flowsDirFor('http://127.0.0.1:1');
  const dir = flows.dir;
  const stages = new Map<EnvName, Stage>();
  const output: string[] = [];
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };

  const stage = (name: EnvName): Stage => {
    const s = stages.get(name);
    if (!s) throw new Error(`no stage ${name}`);
    return s;
  };
  const writeFlow = (flow: FlowDocument) =>
    writeFileSync(path.join(dir, `${FLOW_ID}.flow.json`), formatFlow(flow));
  const promote = async (
    to: EnvName,
    options: { key?: string; approve?: string; dryRun?: boolean } = {},
  ) => {
    output.length = 0;
    const code = await promoteCommand(options.approve ? undefined : FLOW_ID, {
      to,
      from: to === 'test' ? 'dev' : to === 'prod' ? 'test' : 'dev',
      commit: 'abc1234',
      flowsDir: dir,
      processEnv: {
        ...cliEnv,
        ...(options.key ? { [`ADMIN_KEY_${to.toUpperCase()}`]: options.key } : {}),
      },
      write: (t) => output.push(t),
      ...(options.approve ? { approve: options.approve } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    return { code, text: output.join('') };
  };
  const api = async (name: EnvName, method: string, p: string, body?: unknown, key = KEY_A) => {
    const res = await fetch(`${stage(name).url}/api${p}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const startRun = async (name: EnvName, payload: unknown) => {
    const r = await api(name, 'POST', `/flows/${FLOW_ID}/runs`, payload);
    expect(r.status).toBe(202);
    return waitForRun(stage(name).runtime, String(r.body.runId));
  };
  const envText = () =>
    Object.fromEntries(
      ENVS.map((n) => [n, readFileSync(path.join(dir, 'environments', `${n}.json`), 'utf8')]),
    );

  beforeAll(async () => {
    const partners = new Map<EnvName, TestServer>();
    for (const name of ENVS) {
      const partner = await startTestServer();
      partners.set(name, partner);
      writeFileSync(
        path.join(dir, 'environments', `${name}.json`),
        environmentFile(name, partner.url, 'http://127.0.0.1:1'),
      );
    }
    for (const name of ENVS) {
      const partner = partners.get(name) as TestServer;
      const prefix = uniquePrefix(`promo-${name}`);
      const token = `${name}-partner-token-${randomUUID().slice(0, 6)}`;
      const runtime = testRuntime({
        prefix,
        flowsDir: dir,
        env: {
          CROSSDOCK_ENV: name,
          CROSSDOCK_API_KEYS: `admin:${KEY_A},admin:${KEY_B}`,
          [`PARTNER_TOKEN_${name.toUpperCase()}`]: token,
          // dev and prod have a tracker token; test does not.
          ...(name !== 'test'
            ? { [`TRACKER_TOKEN_${name.toUpperCase()}`]: 'tracker-token-1' }
            : {}),
        },
      });
      runtime.startWorker(2);
      const server = serveChecked(createApp(runtime));
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      stages.set(name, { name, partner, runtime, server, url, prefix, token });
      writeFileSync(
        path.join(dir, 'environments', `${name}.json`),
        environmentFile(name, partner.url, url),
      );
    }
  });

  afterAll(async () => {
    for (const s of stages.values()) {
      await new Promise<void>((resolve) => {
        s.server.closeAllConnections();
        s.server.close(() => resolve());
      });
      await s.runtime.close();
      await s.partner.close();
      await cleanRedis(s.prefix);
    }
    flows.remove();
  });

  it('promotes, tests, refuses, holds for a second admin and rolls back', async () => {
    const before = envText();
    writeFlow(orderFlow('1.0.0'));

    // dev: publish, run against dev's partner, save the run as a test case.
    expect((await promote('dev', { key: KEY_A })).code).toBe(0);
    const devRun = await startRun('dev', { orderRef: 'A-1', weight: 12 });
    expect(devRun.status).toBe('succeeded');
    expect(stage('dev').partner.bodies.join()).toContain(stage('dev').token);
    const saved = await api('dev', 'POST', `/runs/${devRun.id}/test-case`, { name: 'order-a1' });
    expect(saved.status).toBe(201);
    const caseFile = path.join(dir, 'tests', FLOW_ID, 'order-a1.json');
    const caseText = readFileSync(caseFile, 'utf8');
    expect(caseText).toBe(formatJson(JSON.parse(caseText)));
    expect(caseText).not.toContain(stage('dev').token);
    expect(JSON.parse(caseText).recordings[0].nodeId).toBe('send');
    expect(
      (await api('dev', 'POST', `/runs/${devRun.id}/test-case`, { name: 'order-a1' })).status,
    ).toBe(409);
    output.length = 0;
    expect(
      await testCommand([FLOW_ID], {
        flowsDir: dir,
        processEnv: cliEnv,
        write: (t) => output.push(t),
      }),
    ).toBe(0);
    expect(output.join('')).toContain(`ok   ${FLOW_ID}/order-a1`);

    // test: published; its own partner and token are used.
    const toTest = await promote('test', { key: KEY_A });
    expect(toTest.text).toContain(`${FLOW_ID} is new in test`);
    expect(toTest.code).toBe(0);
    const testRun = await startRun('test', { orderRef: 'T-1' });
    expect(testRun.status).toBe('succeeded');
    expect(testRun.version).toBe('1.0.0');
    expect(stage('test').partner.bodies.join()).toContain(stage('test').token);
    expect(stage('test').partner.bodies.join()).not.toContain(stage('dev').token);

    // Outside development new versions arrive only by promotion.
    const put = await api('test', 'PUT', `/flows/${FLOW_ID}`, orderFlow('9.0.0'));
    expect(put.status).toBe(403);
    expect((put.body.error as { code: string }).code).toBe('promotion-required');

    // The same version with different content is refused.
    writeFlow(orderFlow('1.0.0', { description: 'changed without a bump' }));
    const same = await promote('test', { key: KEY_A });
    expect(same.code).toBe(1);
    expect(same.text).toMatch(
      /1\.0\.0 of "order-export" is already deployed in "test" with different content/,
    );

    // A bump that changes nothing is refused.
    writeFlow(orderFlow('1.0.1'));
    const bumpOnly = await promote('test', { key: KEY_A });
    expect(bumpOnly.code).toBe(1);
    expect(bumpOnly.text).toContain('same content as the deployed 1.0.0');

    // A secret the target lacks refuses the promotion and is named.
    const withTracker = orderFlow('1.2.0');
    withTracker.nodes.push(
      node('track', 'connector.http', {
        connection: 'tracker',
        method: 'POST',
        path: '/t',
        output: 'body',
      }),
    );
    withTracker.edges.push(edge('shape', 'track'));
    writeFlow(withTracker);
    const noSecret = await promote('test', { key: KEY_A });
    expect(noSecret.code).toBe(1);
    expect(noSecret.text).toContain('TRACKER_TOKEN_TEST');

    // A saved test case that no longer passes refuses it, naming node and field.
    const broken = orderFlow('1.3.0');
    const shape = broken.nodes.find((n) => n.id === 'shape');
    if (!shape) throw new Error('no shape node');
    shape.config = {
      fields: [
        { target: 'accepted', expression: { '!': [{ var: 'ok' }] } },
        { target: 'ref', expression: { var: 'echo.orderRef' } },
      ],
    };
    writeFlow(broken);
    const failing = await promote('test', { key: KEY_A });
    expect(failing.code).toBe(1);
    expect(failing.text).toContain(
      'node "shape" field output[0].payload.accepted: expected true, got false',
    );
    expect(failing.text).toContain('refused: a saved test case');
    output.length = 0;
    const replayed = await testCommand([], {
      flowsDir: dir,
      processEnv: cliEnv,
      write: (t) => output.push(t),
    });
    expect(replayed).toBe(1);
    expect(output.join('')).toContain(`FAIL ${FLOW_ID}/order-a1 (1 difference(s))`);

    // prod: the four-eyes rule holds the promotion until another admin approves.
    writeFlow(orderFlow('1.0.0'));
    const pending = await promote('prod', { key: KEY_A });
    expect(pending.code).toBe(0);
    const id = /promotion (prm_[\w-]+)/.exec(pending.text)?.[1] ?? '';
    expect(pending.text).toContain('pending');
    expect((await api('prod', 'GET', `/flows/${FLOW_ID}/versions`)).status).toBe(404);
    const self = await promote('prod', { key: KEY_A, approve: id });
    expect(self.code).toBe(1);
    expect(self.text).toContain('another admin');
    expect((await promote('prod', { key: KEY_B, approve: id })).code).toBe(0);
    const prodRun = await startRun('prod', { orderRef: 'P-1' });
    expect(prodRun.version).toBe('1.0.0');
    expect(stage('prod').partner.bodies.join()).toContain(stage('prod').token);

    // 1.1.0 (a retry change) through test and prod, with the diff printed.
    writeFlow(
      orderFlow('1.1.0', {
        settings: {
          retry: {
            maxAttempts: 4,
            backoff: { initialMs: 20, multiplier: 2, maxMs: 200, jitter: 0.1 },
          },
        },
      }),
    );
    const dry = await promote('test', { key: KEY_A, dryRun: true });
    expect(dry.code).toBe(0);
    expect(dry.text).toContain('test runs order-export@1.0.0; 1.1.0 changes:');
    expect(dry.text).toMatch(/retry/i);
    expect((await api('test', 'GET', `/flows/${FLOW_ID}/versions`)).body.versions).toHaveLength(1);
    expect((await promote('test', { key: KEY_A })).code).toBe(0);
    const p2 = await promote('prod', { key: KEY_A });
    const id2 = /promotion (prm_[\w-]+)/.exec(p2.text)?.[1] ?? '';
    expect((await promote('prod', { key: KEY_B, approve: id2 })).code).toBe(0);
    const versions = (await api('prod', 'GET', `/flows/${FLOW_ID}/versions`)).body.versions as {
      version: string;
      from?: string;
      commit?: string;
      hash: string;
    }[];
    expect(versions.map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(versions[0]).toMatchObject({ from: 'test', commit: 'abc1234' });
    expect(versions[0]?.hash).toMatch(/^[0-9a-f]{64}$/);

    // Rollback on prod while a 1.1.0 run is in flight: that run finishes on 1.1.0.
    const partner = stage('prod').partner;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answer = partner.handler;
    partner.handler = (req, res, body, count) => {
      void gate.then(() => answer(req, res, body, count));
    };
    const calls = partner.calls.get('/orders') ?? 0;
    const started = await api('prod', 'POST', `/flows/${FLOW_ID}/runs`, { orderRef: 'P-2' });
    while ((partner.calls.get('/orders') ?? 0) === calls)
      await new Promise((r) => setTimeout(r, 10));
    const rolled = await api('prod', 'POST', `/flows/${FLOW_ID}/rollback`, {});
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({
      kind: 'rollback',
      version: '1.0.0',
      previousVersion: '1.1.0',
    });
    release();
    partner.handler = answer;
    const inFlight = await waitForRun(stage('prod').runtime, String(started.body.runId));
    expect(inFlight).toMatchObject({ status: 'succeeded', version: '1.1.0' });
    const after = (await api('prod', 'GET', `/flows/${FLOW_ID}/versions`)).body.versions as {
      version: string;
      active?: boolean;
    }[];
    expect(after.filter((v) => v.active).map((v) => v.version)).toEqual(['1.0.0']);
    expect((await startRun('prod', { orderRef: 'P-3' })).version).toBe('1.0.0');

    // Promotion never wrote an environment binding.
    expect(envText()).toEqual(before);
    expect(existsSync(caseFile)).toBe(true);
  }, 60_000);

  it('refuses --to prod with --url of the test runtime, naming both environments', async () => {
    writeFlow(orderFlow('9.9.9'));
    output.length = 0;
    const code = await promoteCommand(FLOW_ID, {
      to: 'prod',
      url: stage('test').url,
      key: KEY_A,
      flowsDir: dir,
      processEnv: cliEnv,
      write: (t) => output.push(t),
    });
    expect(code).toBe(1);
    expect(output.join('')).toBe(
      `refused: the runtime at ${stage('test').url} runs the environment "test", not "prod". Pass the --url of the "prod" runtime (or leave --url out to use settings.runtime.url of flows/environments/prod.json).\n`,
    );
    const versions = await api('test', 'GET', `/flows/${FLOW_ID}/versions`);
    expect(JSON.stringify(versions.body)).not.toContain('9.9.9');
  });
});
