import { DEFAULT_EXPRESSION_BUDGET, type FlowNode, type NodeContext } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import type { ContextDeps } from './node-context';
import { runSingleStep } from './single-step';

/** What building a context without a connection reads of its deps. */
const deps = {
  environment: { connections: {} },
  expressionBudget: DEFAULT_EXPRESSION_BUDGET,
  fetch: async () => {
    throw new Error('no network here');
  },
  privateFetch: async () => {
    throw new Error('no network here');
  },
  now: () => Date.parse('2026-11-27T10:00:00Z'),
} as unknown as ContextDeps;

const node: FlowNode = {
  id: 'n1',
  type: 'test.wait',
  name: 'Wait',
  position: { x: 0, y: 0 },
  config: {},
};

describe("a step's context", () => {
  it("says by when its signal aborts for lack of time, on the wall clock (not the run's)", async () => {
    const seen: { deadline?: number; abortedAt?: number } = {};
    const before = Date.now();
    await runSingleStep({
      deps,
      executors: {
        'test.wait': async (_input, ctx: NodeContext) => {
          if (ctx.deadline !== undefined) seen.deadline = ctx.deadline;
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
          seen.abortedAt = Date.now();
          return { emissions: [] };
        },
      },
      node,
      payload: {},
      owner: 'test',
      correlationId: 'c1',
      runId: 'r1',
      timeoutMs: 50,
    });
    expect(seen.deadline).toBeGreaterThanOrEqual(before + 50);
    expect(seen.deadline).toBeLessThanOrEqual(before + 50 + 20);
    // The step's timer was armed before the deadline was read, so it is due no later.
    expect(seen.abortedAt).toBeDefined();
  });
});
