import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, httpNode, node } from '../runtime/helpers';
import {
  api,
  type CountingDownstream,
  type CrossdockProcess,
  type FaultStack,
  faultStack,
  freePort,
  waitAllEnded,
  waitHealthy,
} from './processes';

/**
 * SIGTERM to a worker whose step hangs on a downstream that never answers: the worker exits
 * within its shutdown grace (not when the connector's own timeout runs out), the step is
 * aborted and its run handed back, and another worker completes it with the same key.
 */

const GRACE_MS = 2_000;
const hanging: ServerResponse[] = [];
const hangingKeys: string[] = [];
let stack: FaultStack;
let keys: FaultStack['keys'];
let downstream: CountingDownstream;
let redis: Redis;

beforeAll(async () => {
  stack = await faultStack('shutdown', { CROSSDOCK_SHUTDOWN_GRACE_MS: String(GRACE_MS) });
  ({ keys, downstream, redis } = stack);
  const answer = downstream.server.handler;
  downstream.server.handler = (req, res, body, count) => {
    // The first call hangs (a downstream that accepted the connection and went silent).
    if (hanging.length === 0) {
      hanging.push(res);
      hangingKeys.push(String(req.headers['idempotency-key']));
      return;
    }
    answer(req, res, body, count);
  };
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await stack?.stop();
});

const start = (args: string[], extra?: Record<string, string>): CrossdockProcess =>
  stack.start(args, extra);

describe('shutdown with a hanging call', () => {
  it('exits within the grace and hands the run to another worker', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = start(['serve', '--no-worker'], { PORT: String(port) });
    await waitHealthy(url, serve);
    const doc = flowDoc(
      'fault-hang',
      [node('hook', 'trigger.webhook', { path: 'fault/hang' }), httpNode('send', '/hang')],
      [edge('hook', 'send')],
    );
    const send = doc.nodes[1];
    // The connector would wait 20 s for an answer: far past the grace.
    if (send)
      send.config = { ...send.config, query: { order: { var: 'order' } }, timeoutMs: 20_000 };
    expect((await api(url, 'PUT', '/api/flows/fault-hang', doc)).status).toBe(201);

    const first = start(['worker', '--concurrency', '2']);
    const res = await fetch(`${url}/hooks/fault/hang`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ order: 'H-1' }),
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    while (hanging.length === 0) await new Promise((r) => setTimeout(r, 50));
    // The worker that will take the run over is up before the first one is told to stop.
    const second = start(['worker', '--concurrency', '2'], { LOG_LEVEL: 'info' });
    while (!second.output().includes('worker started')) {
      if (second.child.exitCode !== null) throw new Error(second.output());
      await new Promise((r) => setTimeout(r, 50));
    }

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const tookMs = Date.now() - signalled;
    console.info(`worker exited ${tookMs} ms after SIGTERM (grace ${GRACE_MS} ms)`);
    expect(code).toBe(0);
    // Within the grace plus process teardown, and well before the connector's 20 s timeout.
    expect(tookMs).toBeLessThan(GRACE_MS + 3_000);
    expect(first.output()).toContain('aborting steps in flight');
    expect(await redis.hget(keys.run(runId), 'status')).not.toBe('failed');

    const ended = await waitAllEnded([runId], (id) => redis.hget(keys.run(id), 'status'), 30_000);
    expect(ended.get(runId)).toBe('succeeded');
    // Called twice (the hung call, then the step again elsewhere) under one key; one effect.
    expect(hanging.length).toBe(1);
    expect(downstream.calls.get('H-1')).toBe(1);
    expect([...(downstream.keys.get('H-1') ?? [])]).toEqual(hangingKeys);
    expect(downstream.effects.get('H-1')).toBe(1);
    const run = (await api(url, 'GET', `/api/runs/${runId}`)).body as {
      steps: { nodeId: string; status: string }[];
    };
    // The aborted attempt is not in the trace: the run only knows the step that completed.
    expect(run.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      'hook:succeeded',
      'send:succeeded',
    ]);
  }, 60_000);
});
