import type { ReconciliationDocument } from '@crossdock/nodes';
import type { ReconciliationRun, Runtime } from '@crossdock/runtime';
import { ReconcileSchedules, ReconcileStore } from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  flowsDirFor,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
} from './helpers';

const prefix = uniquePrefix('reconcile');
let server: TestServer;
let flows: { dir: string; remove(): void };
let runtime: Runtime;

function stream(overrides: Partial<ReconciliationDocument> = {}): ReconciliationDocument {
  return {
    schemaVersion: 1,
    id: 'items',
    name: 'Items',
    kind: 'master-data',
    domain: 'items',
    owner: 'md',
    schedule: { cron: '0 5 * * *' },
    systemOfRecord: 'left',
    left: {
      system: 'erp',
      connection: 'api',
      path: '/left',
      items: 'rows',
      paging: { offsetParam: 'skip', limitParam: 'top', pageSize: 2 },
      key: ['id'],
    },
    right: { system: 'wms', connection: 'api', path: '/right', key: ['id'] },
    fields: [{ name: 'w', type: 'number', left: { path: 'w' }, right: { path: 'w' } }],
    ...overrides,
  };
}

const left = [
  { id: 'a', w: 1 },
  { id: 'b', w: 2 },
  { id: 'c', w: 3 },
];
const right = [
  { id: 'a', w: 1 },
  { id: 'b', w: 5 },
  { id: 'd', w: 4 },
];

/** The test server as two systems: `/left` paged by skip/top under `rows`, `/right` a bare list. */
function answerBoth(): void {
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/left') {
      const skip = Number(url.searchParams.get('skip') ?? 0);
      const top = Number(url.searchParams.get('top') ?? left.length);
      res.end(JSON.stringify({ rows: left.slice(skip, skip + top) }));
    } else res.end(JSON.stringify(right));
  };
}

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({ prefix, flowsDir: flows.dir, env: { TEST_API_TOKEN: 'token-1' } });
});

afterAll(async () => {
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

beforeEach(() => {
  answerBoth();
  server.calls.clear();
});

describe('reconciliation runs on the real runtime and Redis', () => {
  it('pages through a read until a short page, and reports per key', async () => {
    runtime.reconciliations.set([stream()]);
    const run = await runtime.reconciliations.run('items', 'manual', 'tester');
    expect(run.status).toBe('succeeded');
    expect(run.read).toEqual({ left: 3, right: 3 });
    // Pages of two: [a, b], then [c] (short), so two calls.
    expect(server.calls.get('/left?skip=0&top=2')).toBe(1);
    expect(server.calls.get('/left?skip=2&top=2')).toBe(1);
    expect(run.counts).toEqual({
      keys: 4,
      equal: 1,
      different: 1,
      missingLeft: 1,
      missingRight: 1,
    });
    expect(run.differences.map((d) => [d.key, d.status])).toEqual([
      ['b', 'different'],
      ['c', 'missing-right'],
      ['d', 'missing-left'],
    ]);
    expect(run.differences[0]?.drift?.fields).toEqual([
      { field: 'w', systemOfRecord: 2, drifted: 5 },
    ]);
  });

  it('reads one side through a node of the library instead', async () => {
    runtime.reconciliations.set([
      stream({
        id: 'by-node',
        right: {
          system: 'wms',
          node: {
            type: 'connector.http',
            config: { connection: 'api', method: 'GET', path: '/right', output: 'body' },
          },
          key: ['id'],
        },
      }),
    ]);
    const run = await runtime.reconciliations.run('by-node', 'manual');
    expect(run.counts).toMatchObject({ keys: 4, different: 1 });
    expect(server.calls.get('/right')).toBe(1);
  });

  it('a read the system refuses makes a failed run, kept in the trend', async () => {
    runtime.reconciliations.set([stream({ id: 'broken' })]);
    server.handler = (_req, res) => {
      res.statusCode = 503;
      res.end('down');
    };
    const run = await runtime.reconciliations.run('broken', 'schedule');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^upstream-unavailable: /);
    const trend = await runtime.reconciliations.trend('broken', 10);
    expect(trend.map((t) => t.status)).toEqual(['failed']);
  });

  it('an answer without a list, and a read past maxPages, fail with the reason', async () => {
    runtime.reconciliations.set([
      stream({ id: 'no-list', right: { ...stream().right, items: 'data' } }),
      stream({
        id: 'endless',
        left: {
          ...stream().left,
          paging: { offsetParam: 'skip', limitParam: 'top', pageSize: 1, maxPages: 2 },
        },
      }),
    ]);
    const noList = await runtime.reconciliations.run('no-list', 'manual');
    expect(noList.error).toMatch(/wms \/right answered without a list at "data"/);
    const endless = await runtime.reconciliations.run('endless', 'manual');
    expect(endless.error).toMatch(/more than 2 pages/);
  });

  it('one run of a stream at a time; unknown streams are not found', async () => {
    runtime.reconciliations.set([stream({ id: 'slow' })]);
    server.handler = (req, res) => {
      setTimeout(() => {
        answerBoth();
        server.handler(req, res, '', 1);
      }, 300);
    };
    const first = runtime.reconciliations.run('slow', 'manual');
    await new Promise((r) => setTimeout(r, 50));
    await expect(runtime.reconciliations.run('slow', 'manual')).rejects.toMatchObject({
      name: 'ServiceError',
      code: 'reconciliation-running',
    });
    expect((await first).status).toBe('succeeded');
    await expect(runtime.reconciliations.run('nope', 'manual')).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('refuses decisions it cannot carry out', async () => {
    runtime.reconciliations.set([
      stream({ id: 'no-flow' }),
      stream({ id: 'undeployed', correction: { flow: 'not-deployed' } }),
      stream({ id: 'orders', kind: 'transactional', domain: undefined, systemOfRecord: undefined }),
    ] as ReconciliationDocument[]);
    for (const id of ['no-flow', 'undeployed', 'orders'])
      await runtime.reconciliations.run(id, 'manual');
    const refuse = (id: string, key: string, action: 'approve' | 'accept') =>
      runtime.reconciliations.decide(id, key, action, 'tester', '');
    await expect(refuse('no-flow', 'b', 'approve')).rejects.toMatchObject({
      code: 'not-correctable',
    });
    await expect(refuse('undeployed', 'b', 'approve')).rejects.toMatchObject({
      code: 'not-correctable',
      message: expect.stringContaining('not deployed'),
    });
    await expect(refuse('orders', 'b', 'accept')).rejects.toMatchObject({
      code: 'not-correctable',
    });
    await expect(refuse('no-flow', 'c', 'accept')).rejects.toMatchObject({
      code: 'not-correctable',
    });
    await expect(refuse('no-flow', 'zzz', 'accept')).rejects.toMatchObject({ code: 'not-found' });
    // Accepting needs no flow; it is audited with the drifted value before and after.
    const accepted = await refuse('no-flow', 'b', 'accept');
    expect(accepted).toMatchObject({
      before: { system: 'wms', values: { w: 5 } },
      after: { system: 'wms', values: { w: 5 } },
    });
    expect(await runtime.reconciliations.audit('no-flow', 10)).toEqual([accepted]);
  });
});

describe('reconciliation storage and schedules', () => {
  const redis = new Redis('redis://127.0.0.1:6379');
  afterAll(() => redis.disconnect());

  it('keeps the newest runs only, and forgets the dropped runs', async () => {
    const store = new ReconcileStore(redis, prefix, 60_000, 2);
    const run = (n: number): ReconciliationRun => ({
      id: `r${n}`,
      reconciliation: 'kept',
      trigger: 'schedule',
      startedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
      finishedAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
      status: 'succeeded',
      read: { left: 0, right: 0 },
      counts: { keys: 0, equal: 0, different: n, missingLeft: 0, missingRight: 0 },
      differences: [],
      truncated: false,
      duplicates: [],
      unkeyed: { left: 0, right: 0 },
    });
    for (const n of [1, 2, 3]) await store.saveRun(run(n));
    expect((await store.runs('kept', 10)).map((r) => r.id)).toEqual(['r3', 'r2']);
    expect(await store.run('kept', 'r1')).toBeUndefined();
    expect(await redis.pttl(store.k.run('kept', 'r3'))).toBeGreaterThan(0);
  });

  it('registers each stream cron once and removes streams no longer declared', async () => {
    const schedules = new ReconcileSchedules(
      redis.duplicate({ maxRetriesPerRequest: null }),
      prefix,
    );
    try {
      await schedules.follow([
        stream({ id: 'one' }),
        stream({ id: 'two', schedule: { cron: '*/5 * * * *', timeZone: 'Europe/Berlin' } }),
      ]);
      const both = await schedules.queue.getJobSchedulers();
      expect(both.map((s) => [s.key, s.pattern, s.tz]).sort()).toEqual([
        ['reconcile:one', '0 5 * * *', 'UTC'],
        ['reconcile:two', '*/5 * * * *', 'Europe/Berlin'],
      ]);
      await schedules.follow([stream({ id: 'two' })]);
      expect((await schedules.queue.getJobSchedulers()).map((s) => [s.key, s.pattern])).toEqual([
        ['reconcile:two', '0 5 * * *'],
      ]);
    } finally {
      await schedules.close();
    }
  });
});
