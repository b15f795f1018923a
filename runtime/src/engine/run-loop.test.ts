import {
  catalog,
  emit,
  type FlowDocument,
  type FlowNode,
  type JsonValue,
  type NodeExecutor,
  type NodeResult,
  PermanentError,
  type RetryPolicy,
  TransientError,
} from '@crossdock/nodes';
import { fakeContext } from '@crossdock/nodes/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkpointAt, planFlow, startCheckpoint } from './interpreter';
import { stepIdempotencyKey, stepKeyBase } from './interpreter-settings';
import { type RunEnd, type RunLoopDeps, runLoop } from './run-loop';
import type { RunCheckpoint, StepRecord } from './run-types';

/**
 * The step loop on its own: an in-memory persist and a virtual clock, so retries, backoff,
 * Retry-After and timeouts run at once and deterministically. Redis is the adapter's business.
 */

const retry: RetryPolicy = {
  maxAttempts: 3,
  backoff: { initialMs: 1000, multiplier: 2, maxMs: 60_000, jitter: 0 },
};

function node(id: string, type: string, extra: Partial<FlowNode> = {}): FlowNode {
  return { id, type, name: id, position: { x: 0, y: 0 }, config: {}, ...extra };
}

/** trigger -> branch -> (true) call -> done; (false) skipped; call's error -> handler when wired. */
function flow(options: { errorEdge?: boolean } = {}): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'loop',
    name: 'loop',
    version: '1.0.0',
    settings: { retry },
    nodes: [
      node('t', 'trigger.manual'),
      node('b', 'rule.branch'),
      node('call', 'connector.http'),
      node('done', 'mapping.map'),
      node('skipped', 'mapping.map'),
      node('handler', 'mapping.map'),
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'b', targetPort: 'in' },
      { id: 'e2', source: 'b', sourcePort: 'true', target: 'call', targetPort: 'in' },
      { id: 'e3', source: 'b', sourcePort: 'false', target: 'skipped', targetPort: 'in' },
      { id: 'e4', source: 'call', sourcePort: 'out', target: 'done', targetPort: 'in' },
      ...(options.errorEdge
        ? [{ id: 'e5', source: 'call', sourcePort: 'error', target: 'handler', targetPort: 'in' }]
        : []),
    ],
  };
}

interface Harness {
  deps: RunLoopDeps;
  cp: RunCheckpoint;
  steps: StepRecord[];
  /** Each durable write: the nodes of its steps and the checkpoint it saved. */
  writes: { nodes: string[]; cp: RunCheckpoint }[];
  ends: RunEnd[];
  sleeps: number[];
  /** How often each node's executor was called. */
  calls: Map<string, number>;
  clock: { now: number };
}

/** `call` answers with what `script` returns for each attempt (a result or a thrown error). */
function harness(
  doc: FlowDocument,
  script: (attempt: number) => NodeResult | Error | 'hang',
  overrides: Partial<RunLoopDeps> = {},
  payload: JsonValue = { go: true },
): Harness {
  const plan = planFlow(doc, catalog);
  const clock = { now: Date.parse('2026-12-04T08:00:00Z') };
  const steps: StepRecord[] = [];
  const writes: Harness['writes'] = [];
  const ends: RunEnd[] = [];
  const sleeps: number[] = [];
  const calls = new Map<string, number>();
  const counted =
    (id: string, fn: NodeExecutor): NodeExecutor =>
    async (input, ctx) => {
      calls.set(id, (calls.get(id) ?? 0) + 1);
      return fn(input, ctx);
    };
  const executors: Record<string, NodeExecutor> = {
    'trigger.manual': counted('t', async (input) => emit(input.payload)),
    'rule.branch': counted('b', async (input) => {
      const go =
        typeof input.payload === 'object' && input.payload !== null && 'go' in input.payload;
      return emit(input.payload, go && (input.payload as { go: unknown }).go ? 'true' : 'false');
    }),
    'connector.http': counted('call', async (_input, ctx) => {
      const answer = script(ctx.attempt);
      if (answer === 'hang') {
        return new Promise<NodeResult>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        });
      }
      if (answer instanceof Error) throw answer;
      return answer;
    }),
    'mapping.map': async (input, ctx) => {
      calls.set(ctx.nodeId, (calls.get(ctx.nodeId) ?? 0) + 1);
      return emit(input.payload);
    },
  };
  const deps: RunLoopDeps = {
    plan,
    executors,
    makeContext: ({ node: n, message, signal }) =>
      fakeContext(n.config, {
        nodeId: n.id,
        attempt: message.attempt,
        signal,
        now: () => new Date(clock.now),
      }),
    persist: async (batch, cp, end) => {
      steps.push(...structuredClone(batch));
      writes.push({ nodes: batch.map((b) => b.nodeId), cp: structuredClone(cp) });
      if (end) ends.push(end);
    },
    now: () => clock.now,
    random: () => 0.5,
    nodeTimeoutMs: (n) => n.timeoutMs ?? 30_000,
    maxInlineWaitMs: 10_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    stopping: () => false,
    ...overrides,
  };
  return {
    deps,
    cp: startCheckpoint(plan, payload, 'corr-1'),
    steps,
    writes,
    ends,
    sleeps,
    calls,
    clock,
  };
}

const ok = (payload: JsonValue = { shipped: true }): NodeResult => emit(payload);
const transient = (retryAfterMs?: number) =>
  new TransientError('upstream-unavailable', 'WMS answered 503', {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('runLoop', () => {
  it('routes each emission along its port and persists one step per node', async () => {
    const h = harness(flow(), () => ok());
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    expect(h.steps.map((s) => [s.nodeId, s.status, s.ports])).toEqual([
      ['t', 'succeeded', ['out']],
      ['b', 'succeeded', ['true']],
      ['call', 'succeeded', ['out']],
      ['done', 'succeeded', ['out']],
    ]);
    expect(h.ends).toEqual([{ status: 'succeeded' }]);
    expect(h.calls.get('skipped')).toBeUndefined();
  });

  it('takes the other branch without calling the connector', async () => {
    const h = harness(flow(), () => ok(), {}, { go: false });
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    expect(h.steps.map((s) => s.nodeId)).toEqual(['t', 'b', 'skipped']);
    expect(h.calls.get('call')).toBeUndefined();
  });

  it('retries a transient error with exponential backoff, then succeeds', async () => {
    const h = harness(flow(), (attempt) => (attempt < 3 ? transient() : ok()));
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    const call = h.steps.filter((s) => s.nodeId === 'call');
    expect(call.map((s) => [s.attempt, s.status, s.retryInMs])).toEqual([
      [1, 'retrying', 1000],
      [2, 'retrying', 2000],
      [3, 'succeeded', undefined],
    ]);
    expect(h.sleeps).toEqual([1000, 2000]);
  });

  it('waits at least as long as Retry-After', async () => {
    const h = harness(flow(), (attempt) => (attempt === 1 ? transient(7000) : ok()));
    await runLoop(h.cp, h.deps);
    expect(h.sleeps).toEqual([7000]);
  });

  it('hands a long wait back to the queue instead of holding the worker', async () => {
    const h = harness(flow(), (attempt) => (attempt === 1 ? transient(45_000) : ok()));
    const start = h.clock.now;
    const outcome = await runLoop(h.cp, h.deps);
    expect(outcome).toEqual({ kind: 'wait', until: start + 45_000 });
    expect(h.sleeps).toEqual([]);
    // Resuming after the wait continues with attempt 2 of the same message.
    h.clock.now = start + 45_000;
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    expect(h.steps.filter((s) => s.nodeId === 'call').map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('hands a deferred step back without recording it or counting an attempt', async () => {
    // The connection's breaker is open for the first four tries (a shared outage); the step
    // defers each time, then succeeds on its first counted attempt.
    let tries = 0;
    const h = harness(flow(), () => ok(), {
      makeContext: ({ node: n, message, signal, defer }) => {
        const ctx = fakeContext(n.config, { nodeId: n.id, attempt: message.attempt, signal });
        if (n.id !== 'call') return ctx;
        return {
          ...ctx,
          fetch: async () => {
            tries += 1;
            if (tries <= 4) {
              defer?.(h.clock.now + 5_000);
              throw new TransientError('upstream-unavailable', 'breaker open');
            }
            return new Response('{}');
          },
        };
      },
    });
    h.deps.executors = {
      ...h.deps.executors,
      'connector.http': async (input, ctx) => {
        await ctx.fetch('http://wms/x');
        return emit(input.payload);
      },
    };
    for (let i = 0; i < 4; i++) {
      const start = h.clock.now;
      expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'wait', until: start + 5_000 });
      h.clock.now = start + 5_000;
    }
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    const call = h.steps.filter((s) => s.nodeId === 'call');
    expect(call.map((s) => [s.attempt, s.status])).toEqual([[1, 'succeeded']]);
    // No in-process sleep: every wait went back to the queue.
    expect(h.sleeps).toEqual([]);
  });

  it('fails the run after the last attempt when no error edge is wired', async () => {
    const h = harness(flow(), () => transient());
    const outcome = await runLoop(h.cp, h.deps);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { nodeId: 'call', error: { code: 'upstream-unavailable', errorClass: 'transient' } },
    });
    expect(h.calls.get('call')).toBe(3);
    expect(h.ends).toMatchObject([{ status: 'failed' }]);
    // The failed message stays in the checkpoint, so a replay can start from it.
    expect(h.cp.pending.map((m) => m.nodeId)).toEqual(['call']);
  });

  it('never retries a permanent error and routes it out of the error port when wired', async () => {
    const h = harness(flow({ errorEdge: true }), () => new PermanentError('invalid-input', 'no'));
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    expect(h.calls.get('call')).toBe(1);
    const call = h.steps.find((s) => s.nodeId === 'call');
    expect(call).toMatchObject({ status: 'failed', ports: ['error'] });
    const handler = h.steps.find((s) => s.nodeId === 'handler');
    expect(handler?.input).toMatchObject({
      nodeId: 'call',
      error: { code: 'invalid-input' },
      input: { go: true },
    });
  });

  it('aborts a node that exceeds its timeout and retries it as transient', async () => {
    vi.useFakeTimers();
    const doc = flow();
    const call = doc.nodes.find((n) => n.id === 'call') as FlowNode;
    call.timeoutMs = 5000;
    const h = harness(doc, (attempt) => (attempt === 1 ? 'hang' : ok()));
    const running = runLoop(h.cp, h.deps);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await running).toEqual({ kind: 'succeeded' });
    const attempts = h.steps.filter((s) => s.nodeId === 'call');
    expect(attempts[0]).toMatchObject({
      status: 'retrying',
      error: { code: 'timeout', errorClass: 'transient' },
    });
    expect(attempts[1]).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('gives a step that asks for its signal only after the timeout an aborted one', async () => {
    vi.useFakeTimers();
    const doc = flow();
    (doc.nodes.find((n) => n.id === 'call') as FlowNode).timeoutMs = 5000;
    let late: AbortSignal | undefined;
    const h = harness(doc, () => ok());
    h.deps.executors = {
      ...h.deps.executors,
      'connector.http': async (_input, ctx) => {
        if (ctx.attempt > 1) return ok();
        return new Promise<NodeResult>((resolve) => {
          setTimeout(() => {
            late = ctx.signal;
            resolve(ok());
          }, 6000);
        });
      },
    };
    // A context that reads the signal through, as the runtime's does.
    h.deps.makeContext = (a) =>
      Object.defineProperty(
        fakeContext(a.node.config, { nodeId: a.node.id, attempt: a.message.attempt }),
        'signal',
        { get: () => a.signal },
      );
    const running = runLoop(h.cp, h.deps);
    await vi.advanceTimersByTimeAsync(6000);
    await running;
    expect(late?.aborted).toBe(true);
    expect(late?.reason).toMatchObject({ code: 'timeout' });
  });

  it('fails the run with a permanent timeout once the run deadline has passed', async () => {
    const h = harness(flow(), () => transient());
    h.deps.deadline = h.clock.now + 2500;
    const outcome = await runLoop(h.cp, h.deps);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { nodeId: 'call', error: { code: 'timeout', errorClass: 'permanent' } },
    });
    // Attempts 1 and 2 ran (t+0, t+1000); attempt 3 was due at t+3000, past the deadline.
    expect(h.calls.get('call')).toBe(2);
  });

  it('parks a dead-lettered message as a permanent failure, never retried', async () => {
    const h = harness(flow(), () => ({
      emissions: [],
      deadLetter: { reason: 'Unknown customer', details: { customer: 'C9' } },
    }));
    const outcome = await runLoop(h.cp, h.deps);
    expect(outcome).toMatchObject({
      kind: 'failed',
      failure: { nodeId: 'call', error: { code: 'dead-lettered', errorClass: 'permanent' } },
    });
    expect(h.calls.get('call')).toBe(1);
  });

  it('hands the run back between steps once the worker is stopping', async () => {
    let stopping = false;
    const h = harness(flow(), () => {
      stopping = true;
      return ok();
    });
    h.deps.stopping = () => stopping;
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'yield' });
    // The step in flight finished and was saved; the next one was left for another worker.
    expect(h.steps.map((s) => s.nodeId)).toEqual(['t', 'b', 'call']);
    expect(h.cp.pending.map((m) => m.nodeId)).toEqual(['done']);
  });

  it('resumes from a saved checkpoint without running completed steps again', async () => {
    let stopping = false;
    const first = harness(flow(), () => {
      stopping = true;
      return ok();
    });
    first.deps.stopping = () => stopping;
    await runLoop(first.cp, first.deps);
    const saved = structuredClone(first.cp);

    const second = harness(flow(), () => ok());
    expect(await runLoop(saved, second.deps)).toEqual({ kind: 'succeeded' });
    expect(second.steps.map((s) => s.nodeId)).toEqual(['done']);
    expect(second.calls.get('call')).toBeUndefined();
    expect(second.calls.get('t')).toBeUndefined();
  });
});

describe('runLoop checkpoints around side effects', () => {
  const sideEffects = (n: FlowNode) => n.type === 'connector.http';

  it('writes pure steps with the checkpoint before the side effect, then after it and at the end', async () => {
    const h = harness(flow(), () => ok(), { sideEffects });
    expect(await runLoop(h.cp, h.deps)).toEqual({ kind: 'succeeded' });
    expect(h.writes.map((w) => w.nodes)).toEqual([['t', 'b'], ['call'], ['done']]);
    // The trace is the same as with a checkpoint after every step.
    expect(h.steps.map((s) => [s.index, s.nodeId])).toEqual([
      [0, 't'],
      [1, 'b'],
      [2, 'call'],
      [3, 'done'],
    ]);
    // The checkpoint before the call holds the call's message, with the id its key derives from.
    expect(h.writes[0]?.cp.pending.map((m) => [m.nodeId, m.id])).toEqual([['call', 'm3']]);
  });

  it('a run of pure steps only is written once, at its end', async () => {
    const h = harness(flow(), () => ok(), { sideEffects }, { go: false });
    await runLoop(h.cp, h.deps);
    expect(h.writes.map((w) => w.nodes)).toEqual([['t', 'b', 'skipped']]);
    expect(h.ends).toEqual([{ status: 'succeeded' }]);
  });

  it('every step gets its own checkpoint without the sideEffects port (the old rule)', async () => {
    const h = harness(flow(), () => ok());
    await runLoop(h.cp, h.deps);
    expect(h.writes.map((w) => w.nodes)).toEqual([['t'], ['b'], ['call'], ['done']]);
  });

  it('a crash after pure steps, before the side effect, repeats only the pure steps', async () => {
    const crash = new Error('kill -9');
    const first = harness(flow(), () => ok(), {
      sideEffects,
      fault: async () => {
        throw crash;
      },
    });
    await expect(runLoop(first.cp, first.deps)).rejects.toBe(crash);
    // Nothing of the pure steps was written: another worker starts from the intake checkpoint.
    expect(first.writes).toEqual([]);
    const keys: string[] = [];
    const second = harness(flow(), () => ok(), { sideEffects });
    const makeContext = second.deps.makeContext;
    second.deps.makeContext = (args) => {
      if (args.node.id === 'call') keys.push(`${args.node.id}:${args.message.id}`);
      return makeContext(args);
    };
    expect(await runLoop(second.cp, second.deps)).toEqual({ kind: 'succeeded' });
    expect(first.calls.get('call')).toBeUndefined();
    expect(second.calls.get('call')).toBe(1);
    expect(keys).toEqual(['call:m3']);
    expect(second.steps.map((s) => s.nodeId)).toEqual(['t', 'b', 'call', 'done']);
  });

  it('a crash after the side effect resumes at the step after it, not before', async () => {
    const h = harness(flow(), () => ok(), { sideEffects });
    await runLoop(h.cp, h.deps);
    // The checkpoint after `call` is the one a crash during `done` resumes from.
    const afterCall = h.writes[1]?.cp as RunCheckpoint;
    const resumed = harness(flow(), () => ok(), { sideEffects });
    expect(await runLoop(structuredClone(afterCall), resumed.deps)).toEqual({
      kind: 'succeeded',
    });
    expect(resumed.calls.get('call')).toBeUndefined();
    expect(resumed.steps.map((s) => s.nodeId)).toEqual(['done']);
  });

  it('writes waiting pure steps before a retry wait and before handing the run back', async () => {
    const h = harness(flow(), (attempt) => (attempt === 1 ? transient(45_000) : ok()), {
      sideEffects,
    });
    expect(await runLoop(h.cp, h.deps)).toMatchObject({ kind: 'wait' });
    expect(h.writes.map((w) => w.nodes)).toEqual([['t', 'b'], ['call']]);
    let stopping = false;
    const s = harness(flow(), () => ok(), { sideEffects, stopping: () => stopping });
    const makeContext = s.deps.makeContext;
    s.deps.makeContext = (args) => {
      if (args.node.id === 'b') stopping = true;
      return makeContext(args);
    };
    expect(await runLoop(s.cp, s.deps)).toEqual({ kind: 'yield' });
    expect(s.writes.map((w) => w.nodes)).toEqual([['t', 'b']]);
    expect(s.cp.pending.map((m) => m.nodeId)).toEqual(['call']);
  });
});

const shutdownDoc: FlowDocument = {
  schemaVersion: 1,
  id: 'f',
  name: 'f',
  version: '1.0.0',
  settings: {},
  nodes: [
    node('t', 'trigger.manual'),
    node('call', 'connector.http', { config: { connection: 'api', method: 'POST', path: '/x' } }),
  ],
  edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 'call', targetPort: 'in' }],
};

/** Loop deps on virtual time with in-memory persistence; the `call` connector never answers by itself. */
function shutdownDeps(
  shutdown: AbortController,
  seen: AbortSignal[],
  saved: StepRecord[],
): RunLoopDeps {
  const plan = planFlow(shutdownDoc, catalog);
  return {
    plan,
    executors: {
      'trigger.manual': async (input) => ({ emissions: [{ port: 'out', payload: input.payload }] }),
      'connector.http': (_input, ctx) => {
        seen.push(ctx.signal);
        return new Promise(() => {});
      },
    },
    makeContext: ({ node: n, signal }) => fakeContext(n.config, { signal }),
    persist: async (steps) => {
      saved.push(...steps);
    },
    now: () => 1_000,
    random: () => 0,
    nodeTimeoutMs: () => 3_600_000,
    maxInlineWaitMs: 0,
    sleep: async () => {},
    stopping: () => shutdown.signal.aborted,
    shutdown: shutdown.signal,
  };
}

describe('runLoop at shutdown', () => {
  it('aborts the step in flight through its signal and hands the run back unrecorded', async () => {
    const shutdown = new AbortController();
    const seen: AbortSignal[] = [];
    const saved: StepRecord[] = [];
    const plan = planFlow(shutdownDoc, catalog);
    const cp = startCheckpoint(plan, { order: 'A' }, 'c');
    const loop = runLoop(cp, shutdownDeps(shutdown, seen, saved));
    while (seen.length === 0) await new Promise((r) => setImmediate(r));
    shutdown.abort();
    await expect(loop).resolves.toEqual({ kind: 'yield' });
    expect(seen[0]?.aborted).toBe(true);
    // The trigger step is recorded; the aborted call is not, and stays pending for the next worker.
    expect(saved.map((s) => s.nodeId)).toEqual(['t']);
    expect(cp.pending.map((m) => [m.nodeId, m.attempt])).toEqual([['call', 1]]);
  });
});

describe('step idempotency keys', () => {
  it('derive from the flow key when there is one, else from the run id', () => {
    expect(stepIdempotencyKey(stepKeyBase('f', 'SO-1', 'run_1'), 'call', 'm2')).toBe(
      'f:SO-1:call:m2',
    );
    expect(stepIdempotencyKey(stepKeyBase('f', undefined, 'run_1'), 'call', 'm2')).toBe(
      'run_1:call:m2',
    );
  });

  it('a replay checkpoint keeps the original message id and numbers after the original', () => {
    const plan = planFlow(shutdownDoc, catalog);
    const cp = checkpointAt(
      plan,
      'call',
      'in',
      1,
      { correlationId: 'c', splits: [] },
      {
        messageId: 'm2',
        seq: 5,
      },
    );
    expect(cp.pending[0]?.id).toBe('m2');
    expect(cp.seq).toBe(5);
  });
});
