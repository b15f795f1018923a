import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  httpNode,
  memoryLog,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

const SECRET = 'tok-5ecret-value-93xq';
const prefix = uniquePrefix('engine');
let server: TestServer;
let runtime: Runtime;
let flows: { dir: string; remove(): void };
const log = memoryLog();

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({
    prefix,
    flowsDir: flows.dir,
    env: { TEST_API_TOKEN: SECRET },
    logStream: log.stream,
  });
  runtime.startWorker(20);
  server.handler = (req, res, body, count) => {
    const url = req.url ?? '';
    res.setHeader('content-type', 'application/json');
    if (url.startsWith('/flaky') && count <= 2) {
      res.statusCode = 503;
      res.setHeader('retry-after', '0');
      res.end('{}');
      return;
    }
    if (url.startsWith('/down') || (url.startsWith('/fail-once') && count === 1)) {
      res.statusCode = 500;
      res.end('{}');
      return;
    }
    if (url.startsWith('/leak')) {
      res.statusCode = url.startsWith('/leak-fail') ? 400 : 200;
      res.end(JSON.stringify({ echoedToken: req.headers.authorization }));
      return;
    }
    res.end(JSON.stringify({ ok: true, got: body ? JSON.parse(body) : null }));
  };
});

afterAll(async () => {
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

function callFlow(id: string, second: string, withErrorEdge = false) {
  const nodes = [
    node('t', 'trigger.manual'),
    httpNode('first', `/${id}/first`),
    httpNode('second', second),
    node('map', 'mapping.map', { fields: [{ target: 'done', expression: true }] }),
  ];
  const edges = [edge('t', 'first'), edge('first', 'second'), edge('second', 'map')];
  if (withErrorEdge) {
    nodes.push(
      node('handle', 'mapping.map', {
        fields: [{ target: 'code', expression: { var: 'error.code' } }],
      }),
    );
    edges.push(edge('second', 'handle', 'error'));
  }
  return flowDoc(id, nodes, edges, { businessKeys: { order: { var: 'order' } } });
}

async function deployAndRun(doc: ReturnType<typeof callFlow>, payload: unknown) {
  const deployed = await runtime.flows.deploy(doc, 'test', new Date());
  expect(deployed.status).toBe('created');
  const { runId } = await runtime.service.start({ flowId: doc.id, payload: payload as never });
  return waitForRun(runtime, runId);
}

describe('engine on real Redis', () => {
  it('retries a transient failure, then succeeds', async () => {
    const run = await deployAndRun(callFlow('retry-ok', '/flaky'), { order: 'A-1' });
    expect(run.status).toBe('succeeded');
    const attempts = run.steps.filter((s) => s.nodeId === 'second');
    expect(attempts.map((s) => [s.attempt, s.status])).toEqual([
      [1, 'retrying'],
      [2, 'retrying'],
      [3, 'succeeded'],
    ]);
    expect(attempts[0]?.error).toMatchObject({
      errorClass: 'transient',
      code: 'upstream-unavailable',
    });
    expect(server.calls.get('/flaky')).toBe(3);
    // The idempotency key is the same for every attempt of the step.
    const keys = new Set(server.keys.filter((k) => k.includes(':second:')));
    expect(keys.size).toBe(1);
  });

  it('routes to the error port when retries are exhausted', async () => {
    const run = await deployAndRun(callFlow('retry-error-port', '/down/a', true), { order: 'A-2' });
    expect(run.status).toBe('succeeded');
    expect(server.calls.get('/down/a')).toBe(3);
    const last = run.steps.at(-1);
    expect(last).toMatchObject({
      nodeId: 'handle',
      status: 'succeeded',
      output: [{ port: 'out', payload: { code: 'upstream-unavailable' } }],
    });
    expect(run.steps.find((s) => s.nodeId === 'second' && s.attempt === 3)?.ports).toEqual([
      'error',
    ]);
  });

  it('fails into the exception queue, then replays from the failed step', async () => {
    const doc = callFlow('replay', '/down/replay');
    const run = await deployAndRun(doc, { order: 'R-1' });
    expect(run.status).toBe('failed');
    expect(run.failure).toMatchObject({
      nodeId: 'second',
      error: { code: 'upstream-unavailable' },
    });
    const exceptions = await runtime.runs.exceptions(100);
    expect(exceptions.runs.map((r) => r.id)).toContain(run.id);
    expect(server.calls.get('/replay/first')).toBe(1);

    const replayKeys: string[] = [];
    server.handler = ((previous) => (req, res, body, count) => {
      if (req.url === '/down/replay') {
        replayKeys.push(String(req.headers['idempotency-key']));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ fixed: true, got: JSON.parse(body) }));
        return;
      }
      previous(req, res, body, count);
    })(server.handler);
    const replay = await runtime.service.replay(run.id, 'operator-1', { input: { edited: true } });
    const replayed = await waitForRun(runtime, replay.runId);
    expect(replayed.status).toBe('succeeded');
    expect(replayed.replayOf).toEqual({ runId: run.id, by: 'operator-1', fromNode: 'second' });
    expect(replayed.steps.map((s) => s.nodeId)).toEqual(['second', 'map']);
    expect(replayed.steps[0]?.input).toEqual({ edited: true });
    // The replayed step sends the key the failed step sent (the flow has no idempotency key, so
    // keys derive from the original run's id).
    const failedStep = run.steps.find((s) => s.nodeId === 'second');
    expect(replayKeys).toEqual([`${run.id}:second:${failedStep?.messageId}`]);
    expect(replayed.steps[0]?.messageId).toBe(failedStep?.messageId);
    expect(server.calls.get('/replay/first')).toBe(1);
    const original = await runtime.runs.get(run.id);
    expect(original?.replays).toEqual([replay.runId]);
    expect(original?.resolution).toMatchObject({ action: 'replayed', by: 'operator-1' });
    expect((await runtime.runs.exceptions(100)).runs.map((r) => r.id)).not.toContain(run.id);
    // Business keys find both runs.
    const byKey = await runtime.runs.list({ key: 'R-1', limit: 10 });
    expect(byKey.runs.map((r) => r.id).sort()).toEqual([run.id, replay.runId].sort());
  });

  it('replays a corrected input after a definitive rejection under a new key', async () => {
    // A 400 means the downstream did not act: the corrected request is a new one, and a
    // downstream that cached the rejection under the old key must not answer it from there.
    const run = await deployAndRun(callFlow('rejected', '/leak-fail/rejected'), { order: 'J-1' });
    expect(run.status).toBe('failed');
    expect(run.failure?.error.errorClass).toBe('permanent');
    const sentKeys = () => server.keys.filter((k) => k.startsWith(`${run.id}:second:`));
    const [originalKey] = sentKeys();
    const replay = await runtime.service.replay(run.id, 'operator-1', { input: { fixed: true } });
    await waitForRun(runtime, replay.runId);
    const keys = sentKeys();
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(originalKey);
  });

  it('discards a failed run with a reason', async () => {
    const run = await deployAndRun(callFlow('discard', '/down/discard'), { order: 'D-1' });
    expect(run.status).toBe('failed');
    await runtime.service.discard(run.id, 'operator-2', 'duplicate order');
    const after = await runtime.runs.get(run.id);
    expect(after).toMatchObject({
      status: 'discarded',
      resolution: { action: 'discarded', reason: 'duplicate order', by: 'operator-2' },
    });
    await expect(runtime.service.discard(run.id, 'x', 'again')).rejects.toThrow(/discarded/);
  });

  it('parks a dead-lettered message in the exception queue with its reason', async () => {
    const doc = flowDoc(
      'parked',
      [
        node('t', 'trigger.manual'),
        httpNode('call', '/down/parked'),
        node('park', 'exception.dead-letter', {
          reason: { cat: ['WMS refused ', { var: 'input.order' }] },
        }),
      ],
      [edge('t', 'call'), edge('call', 'park', 'error')],
    );
    const run = await deployAndRun(doc, { order: 'P-1' });
    expect(run.status).toBe('failed');
    expect(run.failure).toMatchObject({
      nodeId: 'park',
      error: { code: 'dead-lettered', message: 'WMS refused P-1' },
    });
    expect((await runtime.runs.exceptions(100)).runs.map((r) => r.id)).toContain(run.id);
  });

  it('starts one run for a repeated idempotency key', async () => {
    const doc = {
      ...callFlow('dedupe', '/dedupe/second'),
      settings: { idempotencyKey: { var: 'order' } },
    };
    await runtime.flows.deploy(doc, 'test', new Date());
    const first = await runtime.service.start({ flowId: 'dedupe', payload: { order: 'X' } });
    const again = await runtime.service.start({ flowId: 'dedupe', payload: { order: 'X' } });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ runId: first.runId, duplicate: true });
    const test = await runtime.service.start({
      flowId: 'dedupe',
      payload: { order: 'X' },
      test: true,
    });
    expect(test.runId).not.toBe(first.runId);
  });

  it('stores an input handed on from the step before once, and the trace reads it back whole', async () => {
    const doc = callFlow('handed', '/handed/second');
    await runtime.flows.deploy(doc, 'test', new Date());
    const { runId } = await runtime.service.start({ flowId: 'handed', payload: { order: 'H' } });
    const run = await waitForRun(runtime, runId);
    expect(run.status).toBe('succeeded');
    for (const [i, step] of run.steps.entries()) {
      if (i === 0) continue;
      expect(step.input).toEqual(run.steps[i - 1]?.output?.[0]?.payload);
      expect(step).not.toHaveProperty('inputOf');
    }
    const stored = (await runtime.redis.lrange(runtime.keys.steps(runId), 0, -1)).map(
      (t) => JSON.parse(t) as { input?: unknown; inputOf?: unknown },
    );
    expect(stored.slice(1).every((s) => s.input === undefined && Array.isArray(s.inputOf))).toBe(
      true,
    );
  });

  it('records a run and its job in one script: an accepted run is queued at once, a refused one not at all', async () => {
    const doc = callFlow('atomic', '/atomic/second');
    doc.settings = { ...doc.settings, idempotencyKey: { var: 'order' } };
    // A runtime without a worker: its runs stay queued, as in a backlog.
    const idlePrefix = uniquePrefix('engine-idle');
    const idle = testRuntime({ prefix: idlePrefix, flowsDir: flows.dir });
    try {
      await idle.flows.deploy(doc, 'test', new Date());
      const first = await idle.service.start({ flowId: 'atomic', payload: { order: 'A' } });
      const queue = idle.queues.forRun(first.runId);
      expect(await queue.getJobState(first.runId)).toBe('waiting');
      expect((await idle.runs.record(first.runId))?.status).toBe('queued');
      // The same key again answers the run; no second job, no second run.
      const again = await idle.service.start({ flowId: 'atomic', payload: { order: 'A' } });
      expect(again).toEqual({ runId: first.runId, duplicate: true });
      expect(await queue.getWaitingCount()).toBe(1);
    } finally {
      await idle.close();
      await cleanRedis(idlePrefix);
    }
  });

  it("runs a flow with a priority from BullMQ's prioritized set", async () => {
    const doc = callFlow('urgent', '/urgent/second');
    doc.settings = { ...doc.settings, priority: 1 };
    const run = await deployAndRun(doc, { order: 'U' });
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => s.nodeId)).toEqual(['t', 'first', 'second', 'map']);
  });

  it('runs 200 concurrent runs to completion with complete traces', async () => {
    const doc = callFlow('many', '/many/second');
    await runtime.flows.deploy(doc, 'test', new Date());
    const started = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runtime.service.start({ flowId: 'many', payload: { order: `M-${i}` } }),
      ),
    );
    const runs = await Promise.all(started.map((s) => waitForRun(runtime, s.runId, 30_000)));
    for (const run of runs) {
      expect(run.status).toBe('succeeded');
      expect(run.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
        't:succeeded',
        'first:succeeded',
        'second:succeeded',
        'map:succeeded',
      ]);
      expect(run.steps.every((s) => s.durationMs >= 0 && s.startedAt <= s.endedAt)).toBe(true);
    }
    expect(server.calls.get('/many/first')).toBe(200);
    expect(server.calls.get('/many/second')).toBe(200);
    const listed = await runtime.runs.list({ flow: 'many', status: 'succeeded', limit: 500 });
    expect(listed.runs).toHaveLength(200);
  });

  it('never writes a secret into a trace or a log line', async () => {
    const doc = flowDoc(
      'secret',
      [node('t', 'trigger.manual'), httpNode('call', '/leak')],
      [edge('t', 'call')],
    );
    const run = await deployAndRun(doc, { password: 'hunter2-pass', note: `has ${SECRET}` });
    expect(run.status).toBe('succeeded');
    // The connector sent the secret (bearer auth) and the server echoed it back.
    expect(server.bodies.some((b) => b.includes(SECRET))).toBe(true);
    const text = JSON.stringify(run);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('hunter2-pass');
    expect(text).toContain('[redacted]');

    const failing = flowDoc(
      'secret-fail',
      [node('t', 'trigger.manual'), httpNode('call', '/leak-fail')],
      [edge('t', 'call')],
    );
    const failed = await deployAndRun(failing, { n: 1 });
    expect(failed.status).toBe('failed');
    expect(JSON.stringify(failed)).not.toContain(SECRET);
    const logged = log.lines.filter((l) => l.includes(failed.id));
    expect(logged.some((l) => l.includes('run failed into the exception queue'))).toBe(true);
    expect(log.lines.join('\n')).not.toContain(SECRET);
  });
});
