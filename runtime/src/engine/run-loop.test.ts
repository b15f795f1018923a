import { catalog, type FlowDocument, type FlowNode, type NodeContext } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { checkpointAt, planFlow, startCheckpoint } from './interpreter';
import { stepIdempotencyKey, stepKeyBase } from './interpreter-settings';
import { type RunLoopDeps, runLoop } from './run-loop';
import type { StepRecord } from './run-types';

function node(id: string, type: string, config: FlowNode['config'] = {}): FlowNode {
  return { id, type, name: id, position: { x: 0, y: 0 }, config };
}

const doc: FlowDocument = {
  schemaVersion: 1,
  id: 'f',
  name: 'f',
  version: '1.0.0',
  settings: {},
  nodes: [
    node('t', 'trigger.manual'),
    node('call', 'connector.http', { connection: 'api', method: 'POST', path: '/x' }),
  ],
  edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 'call', targetPort: 'in' }],
};

/** Loop deps on virtual time with in-memory persistence; the `call` connector never answers by itself. */
function deps(shutdown: AbortController, seen: AbortSignal[], saved: StepRecord[]): RunLoopDeps {
  const plan = planFlow(doc, catalog);
  return {
    plan,
    executors: {
      'trigger.manual': async (input) => ({ emissions: [{ port: 'out', payload: input.payload }] }),
      'connector.http': (_input, ctx) => {
        seen.push(ctx.signal);
        return new Promise(() => {});
      },
    },
    makeContext: (args) => ({ signal: args.signal }) as unknown as NodeContext,
    persist: async (step) => {
      saved.push(step);
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
    const plan = planFlow(doc, catalog);
    const cp = startCheckpoint(plan, { order: 'A' }, 'c');
    const loop = runLoop(cp, deps(shutdown, seen, saved));
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
    const plan = planFlow(doc, catalog);
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
