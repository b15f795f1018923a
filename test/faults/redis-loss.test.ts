import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  testRuntime,
  uniquePrefix,
} from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  type CrossdockProcess,
  countingDownstream,
  freePort,
  type PrivateRedis,
  spawnCrossdock,
  startPrivateRedis,
  waitHealthy,
  writeFlow,
} from './processes';

/**
 * Redis restarted without persistence under a running `crossdock serve`: the loss is detected
 * (epoch marker), logged once, reported by /readyz, and webhooks answer 503 instead of 404; in
 * development the flows come back from the flow files and deliveries are accepted again.
 */

const LOSS_LOG = 'Redis lost its data';
const ADMIN = 'fault-admin-key-1';
let redis: PrivateRedis;
let downstream: CountingDownstream;
let flows: { dir: string; remove(): void };
const procs: CrossdockProcess[] = [];

const doc = flowDoc(
  'fault-loss',
  [node('hook', 'trigger.webhook', { path: 'fault/loss' }), httpNode('send', '/loss')],
  [edge('hook', 'send')],
  { idempotencyKey: { var: 'order' } },
);
const send = doc.nodes[1];
if (send) send.config = { ...send.config, query: { order: { var: 'order' } } };

beforeAll(async () => {
  redis = await startPrivateRedis();
  downstream = await countingDownstream();
  flows = flowsDirFor(downstream.server.url);
  copyFileSync(
    path.join(flows.dir, 'environments', 'dev.json'),
    path.join(flows.dir, 'environments', 'staging.json'),
  );
  writeFlow(flows.dir, doc);
});

afterAll(async () => {
  for (const p of procs) await p.stop(3_000);
  await redis.stop();
  await downstream.close();
  flows.remove();
});

async function serve(
  envName: 'dev' | 'staging',
): Promise<{ url: string; proc: CrossdockProcess; prefix: string }> {
  const port = await freePort();
  const prefix = uniquePrefix(`faults-loss-${envName}`);
  const proc = spawnCrossdock(['serve'], {
    PORT: String(port),
    REDIS_URL: redis.url,
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: flows.dir,
    CROSSDOCK_ENV: envName,
    ...(envName === 'staging' ? { CROSSDOCK_API_KEYS: `admin:${ADMIN}` } : {}),
    TEST_API_TOKEN: 'fault-token-123',
  });
  procs.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc);
  return { url, proc, prefix };
}

async function deploy(url: string): Promise<void> {
  expect((await api(url, 'PUT', '/api/flows/fault-loss', doc)).status).toBe(201);
}

/** Outside development versions arrive by promotion; the test writes the deployment directly. */
async function deployDirect(prefix: string): Promise<void> {
  const runtime = testRuntime({ prefix, flowsDir: flows.dir, env: { REDIS_URL: redis.url } });
  try {
    await runtime.flows.deploy(doc, 'test', new Date());
  } finally {
    await runtime.close();
  }
}

const deliver = (url: string, order: string) =>
  fetch(`${url}/hooks/fault/loss`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ order }),
  });

/** Delivers until the runtime answers something other than a Redis-down 500 or a reset. */
async function deliverAfterOutage(url: string, order: string): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await deliver(url, order);
      if (res.status !== 500) return res;
    } catch {
      // connection reset while Redis is away
    }
    if (Date.now() > deadline) throw new Error('the runtime never answered after the restart');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Redis data loss', () => {
  it('in development: detected, logged once, flows restored from the files', async () => {
    const { url, proc } = await serve('dev');
    await deploy(url);
    const first = await deliver(url, 'L-1');
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    const deadline = Date.now() + 15_000;
    while ((await api(url, 'GET', `/api/runs/${runId}`)).body.status !== 'succeeded') {
      if (Date.now() > deadline) throw new Error('run L-1 did not succeed');
      await new Promise((r) => setTimeout(r, 100));
    }

    await redis.restartEmpty();
    const after = await deliverAfterOutage(url, 'L-2');
    expect(after.status).toBe(202);
    const ready = await fetch(`${url}/readyz`);
    const body = (await ready.json()) as {
      dataLoss?: { restored: boolean; restoredFlows: string[] };
    };
    expect(body.dataLoss).toMatchObject({ restored: true, restoredFlows: ['fault-loss'] });
    expect((await api(url, 'GET', `/api/runs/${runId}`)).status).toBe(404);
    expect(proc.output().split(LOSS_LOG).length - 1).toBe(1);
    await proc.stop(3_000);
  }, 60_000);

  it('outside development: /readyz fails and webhooks answer 503, not 404', async () => {
    const { url, proc, prefix } = await serve('staging');
    await deployDirect(prefix);
    expect((await deliver(url, 'L-10')).status).toBe(202);

    await redis.restartEmpty();
    const after = await deliverAfterOutage(url, 'L-11');
    expect(after.status).toBe(503);
    expect(after.headers.get('retry-after')).toBe('30');
    expect(await after.json()).toMatchObject({ error: { code: 'data-loss' } });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      message: expect.stringContaining('lost its data'),
      dataLoss: { restored: false },
    });
    expect(proc.output().split(LOSS_LOG).length - 1).toBe(1);
    await proc.stop(3_000);
  }, 60_000);
});
