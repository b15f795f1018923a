import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow, type EngineStack, startEngineStack } from './engine-harness';

/**
 * Issue 11 item 2, second half: a run whose worker dies on it (a poison message) was picked up
 * by the next worker, which died too, up to BullMQ's 100 stalls. Here real `crossdock worker`
 * processes are killed with SIGKILL while the step is in flight; after two stalls the run lands
 * in the exception queue as `worker-crashed`, from which it can be replayed.
 */
describe('security: a run that keeps killing its worker is stopped', () => {
  let stack: EngineStack;
  let upstream: Server;
  let calls = 0;
  /** Calls before the upstream starts answering (the replay finds it healed). */
  let hangFor = Number.POSITIVE_INFINITY;
  const arrived: (() => void)[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      calls += 1;
      for (const resolve of arrived.splice(0)) resolve();
      if (calls <= hangFor) return; // in flight until the worker dies
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    stack = await startEngineStack({
      noWorker: true,
      connections: {
        api: { system: 'http', baseUrl: url, auth: { type: 'none' }, allowPrivateNetwork: true },
      },
      env: { CROSSDOCK_LOCK_MS: '1000', CROSSDOCK_MAX_STALLS: '2' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    upstream?.closeAllConnections();
    await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  });

  const nextCall = () => new Promise<void>((resolve) => arrived.push(resolve));

  it('fails the run as worker-crashed after two stalls, and a replay runs it', async () => {
    await stack.deploy(
      chainFlow('sec-poison', [
        {
          id: 'call',
          type: 'connector.http',
          config: { connection: 'api', method: 'POST', path: '/hang', timeoutMs: 120_000 },
          timeoutMs: 120_000,
        },
      ]),
    );
    const runId = await stack.start('sec-poison', { order: 'P-1' });

    for (let crash = 1; crash <= 2; crash++) {
      const inFlight = nextCall();
      const worker = stack.startWorker();
      await inFlight;
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
    }
    expect(calls).toBe(2);

    // The third worker does not run the step a third time: it stops the run.
    const survivor = stack.startWorker();
    const run = (await stack.waitForRun(runId, 60_000)) as {
      status: string;
      failure?: { nodeId: string; error: { code: string; message: string; retryable: boolean } };
    };
    expect(run.status).toBe('failed');
    expect(run.failure?.nodeId).toBe('call');
    expect(run.failure?.error).toMatchObject({ code: 'worker-crashed', retryable: false });
    expect(run.failure?.error.message).toMatch(/node "call" \(call\) stopped 2 times/);
    expect(calls).toBe(2);
    expect(survivor.child.exitCode).toBeNull();

    const exceptions = await stack.api('GET', '/api/exceptions');
    expect(JSON.stringify(exceptions.body)).toContain(runId);

    // Replayable: once the upstream is healed, a replay from the failed step succeeds.
    hangFor = 0;
    const replay = await stack.api('POST', `/api/runs/${runId}/replay`, {});
    expect(replay.status).toBe(202);
    const replayed = await stack.waitForRun((replay.body as { runId: string }).runId);
    expect(replayed.status).toBe('succeeded');
  }, 120_000);
});
