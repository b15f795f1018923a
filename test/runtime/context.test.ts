import { defineNode, type NodeExecutor, TIMER_PORT } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import { RateLimiter, redisCache } from '@crossdock/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  waitForRun,
} from './helpers';

/**
 * A test-only node exercising the context: counts visits in run state, sets a timer on the
 * first visit, starts another flow and passes the count on when the timer fires.
 */
const waiter = defineNode({
  type: 'test.waiter',
  version: 1,
  category: 'flow',
  title: 'Waiter',
  description: 'test only',
  inputs: [{ id: 'in', label: 'in' }],
  outputs: [{ id: 'out', label: 'out' }],
  configSchema: { type: 'object' },
  defaults: {},
  sideEffects: false,
  docs: 'test only',
});

const executeWaiter: NodeExecutor = async (input, ctx) => {
  const visits = await ctx.runState.append('visits', input.port);
  if (input.port !== TIMER_PORT) {
    await ctx.cache.set(`seen:${ctx.runId}`, ctx.idempotencyKey, 60_000);
    await ctx.setTimer('wake', 30);
    const child = await ctx.startFlow('child', { parent: ctx.runId });
    await ctx.runState.set('child', child);
    ctx.log.info('waiting', { visits: visits.length });
    return { emissions: [] };
  }
  return {
    emissions: [
      {
        port: 'out',
        payload: {
          visits,
          child: (await ctx.runState.get('child')) ?? null,
          cached: (await ctx.cache.get(`seen:${ctx.runId}`)) ?? null,
        },
      },
    ],
    delayMs: 20,
  };
};

const prefix = uniquePrefix('context');
let server: TestServer;
let runtime: Runtime;
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  server.handler = (req, res) => {
    if (req.url === '/hang') return; // never answers
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  };
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    // Every wait goes back to the queue (moveToDelayed), so that path is what runs here.
    env: { CROSSDOCK_INLINE_WAIT_MS: '0', TEST_API_TOKEN: 'ctx-token-1' },
    extraNodes: { manifests: [waiter], executors: { 'test.waiter': executeWaiter } },
  });
  runtime.startWorker(8);
});

afterAll(async () => {
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

describe('node context on the real runtime', () => {
  it('fires timers through the queue, keeps run state and cache, starts flows, delays emissions', async () => {
    await runtime.flows.deploy(
      flowDoc('child', [node('t', 'trigger.manual')], []),
      'test',
      new Date(),
    );
    const doc = flowDoc(
      'timers',
      [
        node('t', 'trigger.manual'),
        node('w', 'test.waiter'),
        node('m', 'mapping.map', { fields: [{ target: 'visits', expression: { var: 'visits' } }] }),
      ],
      [edge('t', 'w'), edge('w', 'm')],
    );
    await runtime.flows.deploy(doc, 'test', new Date());
    const { runId } = await runtime.service.start({ flowId: 'timers', payload: {} });
    const run = await waitForRun(runtime, runId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => `${s.nodeId}:${s.inputPort}`)).toEqual([
      't:in',
      'w:in',
      'w:$timer',
      'm:in',
    ]);
    const fired = run.steps[2]?.output?.[0]?.payload as {
      visits: string[];
      child: string;
      cached: string;
    };
    expect(fired.visits).toEqual(['in', TIMER_PORT]);
    expect(fired.cached).toBe(`${runId}:w:m2`);
    const child = await waitForRun(runtime, fired.child);
    expect(child).toMatchObject({ flowId: 'child', status: 'succeeded', correlationId: runId });
  });

  it('retries through the delayed queue and fails a node that exceeds its timeout', async () => {
    const doc = flowDoc(
      'slow',
      [node('t', 'trigger.manual'), httpNode('call', '/hang', { timeoutMs: 150 })],
      [edge('t', 'call')],
      {
        retry: { maxAttempts: 2, backoff: { initialMs: 10, multiplier: 1, maxMs: 10, jitter: 0 } },
      },
    );
    await runtime.flows.deploy(doc, 'test', new Date());
    const { runId } = await runtime.service.start({ flowId: 'slow', payload: {} });
    const run = await waitForRun(runtime, runId);
    expect(run.status).toBe('failed');
    expect(
      run.steps.filter((s) => s.nodeId === 'call').map((s) => [s.attempt, s.status, s.error?.code]),
    ).toEqual([
      [1, 'retrying', 'timeout'],
      [2, 'failed', 'timeout'],
    ]);
    expect(server.calls.get('/hang')).toBeGreaterThanOrEqual(1);
  });

  it('shares a connection rate limit: no window admits more than its budget', async () => {
    const limiter = new RateLimiter(runtime.redis, runtime.keys, Date.now);
    const limit = { max: 2, windowMs: 200 };
    const windows = new Map<number, number>();
    const signal = new AbortController().signal;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        // The window that admitted the request, as Redis counted it: reading the clock after the
        // await would put a request admitted late in one window into the next under load.
        const w = await limiter.acquire('erp', limit, signal);
        windows.set(w, (windows.get(w) ?? 0) + 1);
      }),
    );
    expect([...windows.values()].reduce((a, b) => a + b, 0)).toBe(6);
    for (const count of windows.values()) expect(count).toBeLessThanOrEqual(2);
    expect(windows.size).toBeGreaterThanOrEqual(3);
  });

  it('lets exactly one of many concurrent claims of a cache key win, the others see its value', async () => {
    const cache = redisCache(runtime.redis, runtime.keys);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => cache.claim('isa13:claim-test', `run-${i}`, 60_000)),
    );
    const winners = results.filter((r) => r === undefined);
    expect(winners).toHaveLength(1);
    const held = await cache.get('isa13:claim-test');
    expect(results.filter((r) => r !== undefined)).toEqual(Array(7).fill(held));
  });
});
