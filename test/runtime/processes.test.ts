import { type ChildProcess, spawn } from 'node:child_process';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossdockBin } from '../crossdock-bin';
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

// The worker runs in this very process (bin/crossdock.js imports the bundle, no wrapper process),
// so a signal reaches the worker itself.

const prefix = uniquePrefix('proc');
let server: TestServer;
let runtime: Runtime;
let flows: { dir: string; remove(): void };
const children: ChildProcess[] = [];

/** Starts `crossdock worker` and resolves once it logged that it is taking work. */
function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [crossdockBin, 'worker'], {
    env: {
      ...process.env,
      CROSSDOCK_PREFIX: prefix,
      CROSSDOCK_FLOWS_DIR: flows.dir,
      CROSSDOCK_LOCK_MS: '1000',
      TEST_API_TOKEN: 'proc-token-1234',
      CROSSDOCK_CONCURRENCY: '4',
      CROSSDOCK_SHUTDOWN_GRACE_MS: '10000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

beforeAll(async () => {
  server = await startTestServer();
  flows = flowsDirFor(server.url);
  runtime = testRuntime({ prefix, flowsDir: flows.dir });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await runtime.close();
  await server.close();
  flows.remove();
  await cleanRedis(prefix);
});

function threeCalls(id: string) {
  return flowDoc(
    id,
    [
      node('t', 'trigger.manual'),
      httpNode('a', `/${id}/a`),
      httpNode('b', `/${id}/b`),
      httpNode('c', `/${id}/c`),
    ],
    [edge('t', 'a'), edge('a', 'b'), edge('b', 'c')],
  );
}

describe('worker processes', () => {
  it('resumes a run on a second worker after SIGKILL mid-step, without repeating completed steps', async () => {
    let hold = true;
    server.handler = (req, res, body) => {
      if (req.url === '/kill/b' && hold) return; // never answers: the step stays in flight
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ got: JSON.parse(body || 'null') }));
    };
    await runtime.flows.deploy(threeCalls('kill'), 'test', new Date());
    const first = await startWorker();
    const { runId } = await runtime.service.start({ flowId: 'kill', payload: { n: 1 } });
    await until(() => server.calls.get('/kill/b') === 1).catch(async (e) => {
      throw new Error(`${String(e)}: ${JSON.stringify(await runtime.runs.get(runId))}`);
    });
    first.kill('SIGKILL');
    await exited(first);
    hold = false;
    const second = await startWorker();
    const run = await waitForRun(runtime, runId, 30_000);
    expect(run.status).toBe('succeeded');
    expect(server.calls.get('/kill/a')).toBe(1);
    expect(server.calls.get('/kill/b')).toBe(2);
    expect(server.calls.get('/kill/c')).toBe(1);
    expect(run.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      't:succeeded',
      'a:succeeded',
      'b:succeeded',
      'c:succeeded',
    ]);
    // The step in flight carried the same idempotency key on both workers.
    const bKeys = server.keys.filter((k) => k.includes(':b:'));
    expect(bKeys).toHaveLength(2);
    expect(new Set(bKeys).size).toBe(1);
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  }, 60_000);

  it('drains the step in flight on SIGTERM and leaves the rest to another worker', async () => {
    let answer: (() => void) | undefined;
    server.handler = (req, res, body) => {
      const reply = () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ got: JSON.parse(body || 'null') }));
      };
      if (req.url === '/drain/b') answer = reply;
      else reply();
    };
    await runtime.flows.deploy(threeCalls('drain'), 'test', new Date());
    const first = await startWorker();
    const { runId } = await runtime.service.start({ flowId: 'drain', payload: { n: 2 } });
    await until(() => answer !== undefined);
    first.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(first.exitCode).toBeNull(); // still draining the step in flight
    answer?.();
    expect(await exited(first)).toBe(0);
    const drained = await runtime.runs.get(runId);
    expect(drained?.status).toBe('running');
    expect(drained?.steps.map((s) => `${s.nodeId}:${s.status}`)).toEqual([
      't:succeeded',
      'a:succeeded',
      'b:succeeded',
    ]);
    expect(server.calls.get('/drain/c')).toBeUndefined();
    const second = await startWorker();
    const run = await waitForRun(runtime, runId, 30_000);
    expect(run.status).toBe('succeeded');
    expect(server.calls.get('/drain/a')).toBe(1);
    expect(server.calls.get('/drain/b')).toBe(1);
    expect(server.calls.get('/drain/c')).toBe(1);
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  }, 60_000);
});
