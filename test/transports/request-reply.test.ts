import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FlowDocument } from '@crossdock/nodes';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  until,
  waitForRun,
} from '../runtime/helpers';

// The API and the worker are two runtimes (two sets of Redis connections), as `serve` and
// `worker` are two processes: the answer can only travel through Redis.
const prefix = uniquePrefix('reply');
const KEYS = 'analyst:analyst-key-1,operator:operator-key-1';
let stub: TestServer;
let api: Runtime;
let worker: Runtime;
let http: Server;
let base = '';
let flows: { dir: string; remove(): void };
/** Milliseconds the stub holds `/slow-quote` before answering. */
let slowMs = 0;

/** The peer benchmark's order flow: map, check, reserve, map, quote, respond. */
function orderFlow(
  id: string,
  hookPath: string,
  quotePath: string,
  replyTimeoutMs: number,
): FlowDocument {
  return flowDoc(
    id,
    [
      node('hook', 'trigger.webhook', { path: hookPath, replyTimeoutMs }),
      node('order', 'mapping.map', {
        fields: [
          { target: 'orderNumber', expression: { var: 'order' } },
          { target: 'quantity', expression: { var: 'qty' } },
        ],
      }),
      node('valid', 'rule.branch', { condition: { '>': [{ var: 'quantity' }, 0] } }),
      httpNode('reserve', '/reserve'),
      node('request', 'mapping.map', {
        fields: [
          { target: 'reference', expression: { var: 'echo.orderNumber' } },
          { target: 'pieces', expression: { var: 'echo.quantity' } },
        ],
      }),
      httpNode('quote', quotePath),
      node('respond', 'flow.respond', {
        status: 201,
        headers: { 'x-order': { var: 'echo.reference' } },
        body: { var: 'echo' },
      }),
    ],
    [
      edge('hook', 'order'),
      edge('order', 'valid'),
      edge('valid', 'reserve', 'true'),
      edge('reserve', 'request'),
      edge('request', 'quote'),
      edge('quote', 'respond'),
    ],
  );
}

beforeAll(async () => {
  stub = await startTestServer();
  stub.handler = (req, res, body, count) => {
    const answer = () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/reserve' && body.includes('"REJECT-ME"') && count < 100) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'rejected' }));
        return;
      }
      res.end(JSON.stringify({ ok: true, echo: JSON.parse(body) as unknown }));
    };
    if (req.url === '/slow-quote') setTimeout(answer, slowMs);
    else answer();
  };
  flows = flowsDirFor(stub.url);
  const env = { CROSSDOCK_API_KEYS: KEYS, TEST_API_TOKEN: 't', CROSSDOCK_REPLY_MAX_WAITING: '2' };
  api = testRuntime({ prefix, flowsDir: flows.dir, env });
  worker = testRuntime({ prefix, flowsDir: flows.dir, env });
  worker.startWorker(4);
  const now = new Date();
  for (const flow of [
    orderFlow('quick', 'erp/rate-shop', '/quote', 15_000),
    orderFlow('slow', 'erp/rate-shop-slow', '/slow-quote', 300),
    flowDoc(
      'silent',
      [
        node('hook', 'trigger.webhook', { path: 'erp/silent', replyTimeoutMs: 15_000 }),
        node('map', 'mapping.map', { fields: [{ target: 'o', expression: { var: 'order' } }] }),
      ],
      [edge('hook', 'map')],
    ),
  ])
    expect((await api.flows.deploy(flow, 'test', now)).status).not.toBe('conflict');
  http = serveChecked(createApp(api, { designerDist: path.join(flows.dir, 'no-dist') }));
  await new Promise((r) => http.once('listening', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => http.close(r));
  await api.close();
  await worker.close();
  await stub.close();
  flows.remove();
  await cleanRedis(prefix);
});

async function post(url: string, body: unknown, key?: string, signal?: AbortSignal) {
  const response = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

describe('request-reply on a webhook', () => {
  it("answers the caller with the flow's result, after the run is recorded", async () => {
    const answer = await post('/hooks/erp/rate-shop', { order: 'SO-1', qty: 3 });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ reference: 'SO-1', pieces: 3 });
    expect(answer.headers.get('x-order')).toBe('SO-1');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('content-security-policy')).toContain('sandbox');
    const runId = String(answer.headers.get('x-crossdock-run-id'));
    const run = await waitForRun(api, runId);
    expect(run.status).toBe('succeeded');
    expect(run.awaitsReply).toBe(true);
    expect(run.steps.map((s) => s.nodeId)).toEqual([
      'hook',
      'order',
      'valid',
      'reserve',
      'request',
      'quote',
      'respond',
    ]);
    expect(stub.calls.get('/quote')).toBeGreaterThanOrEqual(1);
  });

  it('falls back to 202 with the run id when the flow is slower, and the run still completes', async () => {
    slowMs = 1_500;
    const answer = await post('/hooks/erp/rate-shop-slow', { order: 'SO-2', qty: 1 });
    expect(answer.status).toBe(202);
    const runId = String(answer.body.runId);
    expect(await api.redis.hget(api.keys.run(runId), 'status')).not.toBe('succeeded');
    const run = await waitForRun(api, runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.at(-1)?.nodeId).toBe('respond');
    // The late answer is kept briefly (nobody reads it) and no waiter is left behind.
    expect(await api.redis.exists(api.keys.reply(runId))).toBe(1);
    expect(api.replies.size).toBe(0);
    slowMs = 0;
  });

  it('answers 202 as soon as a run ends without a respond node or fails before it', async () => {
    const silent = await post('/hooks/erp/silent', { order: 'SO-3' });
    expect(silent.status).toBe(202);
    // The 202 came from the run's end, not the 15 s timeout: the run is already recorded as ended.
    expect(await api.redis.hget(api.keys.run(String(silent.body.runId)), 'status')).toBe(
      'succeeded',
    );
    const rejected = await post('/hooks/erp/rate-shop', { order: 'REJECT-ME', qty: 1 });
    expect(rejected.status).toBe(202);
    expect(await api.redis.hget(api.keys.run(String(rejected.body.runId)), 'status')).toBe(
      'failed',
    );
  });

  it('holds nothing for a caller that disconnects, and caps how many callers wait', async () => {
    slowMs = 2_000;
    const gone = new AbortController();
    const leaving = post(
      '/hooks/erp/rate-shop-slow',
      { order: 'SO-4', qty: 1 },
      undefined,
      gone.signal,
    ).catch((error: unknown) => error);
    await until(() => api.replies.size === 1, 'the first caller to wait');
    gone.abort();
    expect(await leaving).toBeInstanceOf(Error);
    await until(() => api.replies.size === 0, 'the wait of the caller that left to end');
    // A cap of 2: two callers wait, the third gets 202 at once (with its run accepted).
    const waiting = [
      post('/hooks/erp/rate-shop-slow', { order: 'SO-5', qty: 1 }),
      post('/hooks/erp/rate-shop-slow', { order: 'SO-6', qty: 1 }),
    ];
    await until(() => api.replies.size === 2, 'two callers to wait');
    const third = await post('/hooks/erp/rate-shop-slow', { order: 'SO-7', qty: 1 });
    expect(third.status).toBe(202);
    expect(api.replies.size).toBe(2);
    for (const answer of await Promise.all(waiting)) expect(answer.status).toBe(202);
    for (const runId of [third.body.runId])
      expect((await waitForRun(api, String(runId))).status).toBe('succeeded');
    slowMs = 0;
  });

  it('answers nobody from safe test runs and replays', async () => {
    const test = await post(
      '/api/flows/quick/test-runs',
      {
        flow: orderFlow('quick', 'erp/rate-shop', '/quote', 15_000),
        payload: { order: 'SO-8', qty: 2 },
      },
      'analyst-key-1',
    );
    expect(test.status).toBe(202);
    const testRun = await waitForRun(api, String(test.body.runId));
    expect(testRun.status).toBe('succeeded');
    expect(testRun.steps.at(-1)?.nodeId).toBe('respond');
    expect(testRun.awaitsReply).toBeUndefined();
    expect(await api.redis.exists(api.keys.reply(testRun.id))).toBe(0);
    // Even asked to, the service never lets a test run answer a caller.
    const forced = await api.service.start({
      flowId: 'quick',
      payload: { order: 'SO-9', qty: 1 },
      test: true,
      awaitsReply: true,
    });
    const forcedRun = await waitForRun(api, forced.runId);
    expect(forcedRun.awaitsReply).toBeUndefined();
    expect(await api.redis.exists(api.keys.reply(forced.runId))).toBe(0);

    const failed = await post('/hooks/erp/rate-shop', { order: 'REJECT-ME', qty: 5 });
    const original = await waitForRun(api, String(failed.body.runId));
    expect(original.status).toBe('failed');
    // The stub accepts it from now on: the replay reaches the respond node and answers nobody.
    stub.calls.set('/reserve', 100);
    const replay = await post(
      `/api/runs/${original.id}/replay`,
      { fromStart: true },
      'operator-key-1',
    );
    expect(replay.status).toBe(202);
    const replayed = await waitForRun(api, String(replay.body.runId));
    expect(replayed.status).toBe('succeeded');
    expect(replayed.steps.at(-1)?.nodeId).toBe('respond');
    expect(replayed.awaitsReply).toBeUndefined();
    expect(await api.redis.exists(api.keys.reply(replayed.id))).toBe(0);
  });
});
