import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog, loadFlow } from '@crossdock/nodes';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesOrder } from '../../runtime/bench/order-flow/sales-order';
import type { StubReply, StubRequest } from '../../runtime/bench/order-flow/stub';
import { withReply } from '../../runtime/bench/order-flow/with-reply';
import { cleanRedis, testRuntime, uniquePrefix, waitForRun } from '../runtime/helpers';

/**
 * Request-reply on the peer benchmark's own order flow and stub (runtime/bench/order-flow): the
 * webhook caller gets the flow's answer within `replyTimeoutMs`; with the TMS made slower than
 * that, 202 and the run id, and the run still completes, reaching the TMS once.
 */
const REPLY_TIMEOUT_MS = 1_500;
const benchDir = fileURLToPath(new URL('../../runtime/bench/order-flow/', import.meta.url));
const prefix = uniquePrefix('reply-bench');
let stub: ChildProcess;
let stubUrl = '';
const replies: Array<(reply: StubReply) => void> = [];
let dir: string;
let api: Runtime;
let worker: Runtime;
let http: Server;
let base = '';

function ask(request: StubRequest): Promise<StubReply> {
  return new Promise((resolve) => {
    replies.push(resolve);
    stub.send(request);
  });
}

beforeAll(async () => {
  stub = fork(path.join(benchDir, 'stub.ts'), [], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => {
    stub.on('message', (m: StubReply) => {
      if (m.kind === 'ready') resolve(m.port);
      else replies.shift()?.(m);
    });
  });
  stubUrl = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-reply-bench-'));
  mkdirSync(path.join(dir, 'environments'));
  const connection = { baseUrl: stubUrl, allowPrivateNetwork: true, auth: { type: 'none' } };
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: { wms: { ...connection, system: 'wms' }, tms: { ...connection, system: 'tms' } },
    }),
  );
  const text = readFileSync(path.join(benchDir, 'order-flow.flow.json'), 'utf8');
  // API and worker apart, as `serve` and `worker`: the answer travels through Redis.
  api = testRuntime({ prefix, flowsDir: dir });
  worker = testRuntime({ prefix, flowsDir: dir });
  worker.startWorker(4);
  const loaded = loadFlow(text, catalog, { environment: api.environment });
  if (!loaded.flow) throw new Error(JSON.stringify(loaded.diagnostics));
  const reply = withReply(loaded.flow, REPLY_TIMEOUT_MS);
  const checked = loadFlow(JSON.stringify(reply), catalog, { environment: api.environment });
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect((await api.flows.deploy(reply, 'test', new Date())).status).toBe('created');
  http = createApp(api, { designerDist: path.join(dir, 'no-dist') }).listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => http?.close(r));
  await api?.close();
  await worker?.close();
  stub?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await cleanRedis(prefix);
});

async function postOrder(n: number) {
  const started = performance.now();
  const response = await fetch(`${base}/hooks/bench/orders-reply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(salesOrder(n)),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
    ms: performance.now() - started,
  };
}

describe('request-reply on the bench order flow', () => {
  it("answers the webhook caller with the flow's result within replyTimeoutMs", async () => {
    const answer = await postOrder(1);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ shipment: 'SH-SO-1', status: 'PLANNED' });
    expect(answer.headers.get('x-shipment')).toBe('SH-SO-1');
    expect(answer.ms).toBeLessThan(REPLY_TIMEOUT_MS);
    const run = await waitForRun(api, String(answer.headers.get('x-crossdock-run-id')));
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => s.nodeId)).toEqual([
      'n-order',
      'n-fulfillment',
      'n-shippable',
      'n-wms',
      'n-shipment',
      'n-tms',
      'n-respond',
    ]);
  });

  it('falls back to 202 with the run id when the TMS is slower, and the run completes once', async () => {
    expect(await ask({ cmd: 'tms-delay', ms: REPLY_TIMEOUT_MS + 1_000 })).toEqual({
      kind: 'delay',
      ms: REPLY_TIMEOUT_MS + 1_000,
    });
    const before = await ask({ cmd: 'stats' });
    const answer = await postOrder(2);
    expect(answer.status).toBe(202);
    expect(answer.ms).toBeGreaterThanOrEqual(REPLY_TIMEOUT_MS - 50);
    const runId = String(answer.body.runId);
    expect(runId).toMatch(/^run_/);
    const run = await waitForRun(api, runId, 20_000);
    expect(run.status).toBe('succeeded');
    expect(run.steps.at(-1)?.nodeId).toBe('n-respond');
    const after = await ask({ cmd: 'stats' });
    if (before.kind !== 'stats' || after.kind !== 'stats') throw new Error('stub stats');
    // One TMS call for the order, no repeat: durability is what it was without the wait.
    expect(after.tms - before.tms).toBe(1);
    expect(after.repeats).toBe(before.repeats);
    await ask({ cmd: 'tms-delay', ms: 0 });
  }, 30_000);
});
