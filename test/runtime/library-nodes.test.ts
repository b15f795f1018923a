import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// The node library through the real engine: split/aggregate with timers, connector.http with
// auth and idempotency keys, catch routing and dead-lettering into the exception queue.
const prefix = uniquePrefix('library');
let server: TestServer;
let runtime: Runtime;
let flows: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({ prefix, flowsDir: flows.dir, env: { TEST_API_TOKEN: 'lib-token' } });
  runtime.startWorker(10);
  server.handler = (req, res, body) => {
    res.setHeader('content-type', 'application/json');
    if ((req.url ?? '').startsWith('/missing')) {
      res.statusCode = 404;
      res.end('{"error":"no such order"}');
      return;
    }
    res.end(
      JSON.stringify({
        url: req.url,
        auth: req.headers.authorization,
        got: JSON.parse(body || 'null'),
      }),
    );
  };
});

afterAll(async () => {
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

async function run(doc: ReturnType<typeof flowDoc>, payload: unknown) {
  await runtime.flows.deploy(doc, 'test', new Date());
  const { runId } = await runtime.service.start({ flowId: doc.id, payload: payload as never });
  return waitForRun(runtime, runId);
}

const lines = [{ sku: 'A 1' }, { sku: 'B' }, { sku: 'C' }];

describe('library nodes on the runtime', () => {
  it('splits, calls the connection per item and aggregates the answers in order', async () => {
    const doc = flowDoc(
      'lib-split-call',
      [
        node('t', 'trigger.manual'),
        node('split', 'flow.split', { items: { var: 'lines' } }),
        node('call', 'connector.http', {
          connection: 'api',
          method: 'POST',
          path: '/lines/{{sku}}',
        }),
        node('agg', 'flow.aggregate', { timeoutMs: 10_000 }),
        node('count', 'mapping.map', {
          fields: [
            { target: 'count', expression: { length: { var: '' } } },
            { target: 'urls', expression: { map: [{ var: '' }, { var: 'url' }] } },
          ],
        }),
      ],
      [edge('t', 'split'), edge('split', 'call'), edge('call', 'agg'), edge('agg', 'count')],
    );
    const result = await run(doc, { lines });
    expect(result.status).toBe('succeeded');
    expect(result.steps.find((s) => s.nodeId === 'count')?.output).toEqual([
      { port: 'out', payload: { count: 3, urls: ['/lines/A%201', '/lines/B', '/lines/C'] } },
    ]);
    const calls = result.steps.filter((s) => s.nodeId === 'call');
    expect(calls).toHaveLength(3);
    // The system saw the real token; the trace only ever holds it redacted.
    expect(
      server.bodies.filter((b) => b.includes('"authorization":"Bearer lib-token"')),
    ).toHaveLength(3);
    const first = calls[0]?.output?.[0]?.payload as { auth: string; got: unknown };
    expect(first).toMatchObject({ auth: 'Bearer [redacted]', got: { sku: 'A 1' } });
    const keys = server.keys.filter((k) => k.includes(':call:'));
    expect(new Set(keys).size).toBe(3);
  });

  it('emits what arrived on "partial" when a filtered item never reaches the aggregate', async () => {
    const doc = flowDoc(
      'lib-partial',
      [
        node('t', 'trigger.manual'),
        node('split', 'flow.split', { items: { var: 'lines' } }),
        node('keep', 'rule.filter', { condition: { '!=': [{ var: 'sku' }, 'B'] } }),
        node('agg', 'flow.aggregate', { timeoutMs: 300 }),
        node('partial', 'mapping.map', {
          fields: [{ target: 'received', expression: { var: 'received' } }],
        }),
      ],
      [
        edge('t', 'split'),
        edge('split', 'keep'),
        edge('keep', 'agg'),
        edge('agg', 'partial', 'partial'),
      ],
    );
    const result = await run(doc, { lines });
    expect(result.status).toBe('succeeded');
    const agg = result.steps.filter((s) => s.nodeId === 'agg' && (s.output?.length ?? 0) > 0);
    expect(agg.map((s) => s.output)).toEqual([
      [
        {
          port: 'partial',
          payload: {
            items: [{ sku: 'A 1' }, { sku: 'C' }],
            partial: true,
            expected: 3,
            received: 2,
          },
        },
      ],
    ]);
    expect(result.steps.at(-1)?.output).toEqual([{ port: 'out', payload: { received: 2 } }]);
  });

  it('catches a 404 by code and dead-letters it into the exception queue with the reason', async () => {
    const doc = flowDoc(
      'lib-dead-letter',
      [
        node('t', 'trigger.manual'),
        node('get', 'connector.http', {
          connection: 'api',
          method: 'GET',
          path: '/missing/{{orderId}}',
        }),
        node('catch', 'exception.catch', { routes: [{ port: 'missing', codes: ['not-found'] }] }),
        node('park', 'exception.dead-letter', {
          reason: { cat: ['Order ', { var: 'input.orderId' }, ' is unknown to the ERP'] },
        }),
      ],
      [edge('t', 'get'), edge('get', 'catch', 'error'), edge('catch', 'park', 'missing')],
    );
    const result = await run(doc, { orderId: 'SO-404' });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({
      nodeId: 'park',
      error: {
        errorClass: 'permanent',
        code: 'dead-lettered',
        message: 'Order SO-404 is unknown to the ERP',
        details: { error: { code: 'not-found', details: { status: 404 } } },
      },
    });
    // A permanent error is not retried: one call to the ERP, one attempt at parking.
    expect(result.steps.filter((s) => s.nodeId === 'get')).toHaveLength(1);
    expect(result.steps.filter((s) => s.nodeId === 'park')).toHaveLength(1);
  });

  it('holds a message in a delay and switches it by case', async () => {
    const doc = flowDoc(
      'lib-delay-switch',
      [
        node('t', 'trigger.manual'),
        node('wait', 'flow.delay', { delayMs: 50 }),
        node('route', 'rule.switch', {
          cases: [{ port: 'heavy', condition: { '>': [{ var: 'weightKg' }, 30] } }],
        }),
        node('heavy', 'mapping.map', { fields: [{ target: 'lane', expression: 'freight' }] }),
      ],
      [edge('t', 'wait'), edge('wait', 'route'), edge('route', 'heavy', 'heavy')],
    );
    const result = await run(doc, { weightKg: 40 });
    expect(result.status).toBe('succeeded');
    expect(result.steps.at(-1)?.output).toEqual([{ port: 'out', payload: { lane: 'freight' } }]);
  });
});
