import type { JsonValue } from '@crossdock/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainFlow, type EngineStack, startEngineStack } from './engine-harness';

/**
 * Issue 11 item 2: a 200-character mapping ran the worker out of memory. The attack, on the real
 * `crossdock serve`: `reduce` doubles an array with `merge`, `map` pads each element to 1,000
 * characters. Today it fails its step with `expression-budget`, and the runtime keeps serving.
 */
const DOUBLING: JsonValue = {
  map: [
    {
      reduce: [
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
        { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] },
        [1],
      ],
    },
    { pad_start: ['x', 1000, 'y'] },
  ],
};

const THOUSAND: JsonValue = { merge: Array.from({ length: 1000 }, (_, i) => i) };
/** CPU-bound but small: 1,000 × 1,000 × 21 additions that build nothing. */
const SPIN: JsonValue = {
  map: [THOUSAND, { reduce: [THOUSAND, { '+': Array(20).fill({ '+': [1, 1] }) }, 0] }],
};

interface FailedRun {
  status: string;
  failure?: { nodeId: string; error: { code: string; message: string; retryable: boolean } };
}

describe('security: expressions run under a budget', () => {
  let stack: EngineStack;

  beforeAll(async () => {
    stack = await startEngineStack({
      connections: {},
      // A small heap: without the budget, the doubling attack kills this process.
      env: { NODE_OPTIONS: '--max-old-space-size=192', CROSSDOCK_EXPR_MAX_OPERATIONS: '50000000' },
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the doubling mapping fails its step as expression-budget, naming node and field', async () => {
    expect(JSON.stringify(DOUBLING).length).toBeLessThan(220);
    await stack.deploy(
      chainFlow('sec-doubling', [
        {
          id: 'explode',
          type: 'mapping.map',
          config: { fields: [{ target: 'boom', expression: DOUBLING }] },
        },
      ]),
    );
    const runId = await stack.start('sec-doubling', { order: 'A-1' });
    const run = (await stack.waitForRun(runId)) as unknown as FailedRun;
    expect(run.status).toBe('failed');
    expect(run.failure?.nodeId).toBe('explode');
    expect(run.failure?.error).toMatchObject({ code: 'expression-budget', retryable: false });
    expect(run.failure?.error.message).toMatch(
      /Node "explode" \(explode\), field fields\[0\]\.expression/,
    );
    expect(run.failure?.error.message).toMatch(/more than 100000/);

    // The process lived through it and still runs honest work.
    expect(stack.server.child.exitCode).toBeNull();
    await stack.deploy(
      chainFlow('sec-honest', [
        {
          id: 'map',
          type: 'mapping.map',
          config: { fields: [{ target: 'id', expression: { upper: { var: 'order' } } }] },
        },
      ]),
    );
    const honest = await stack.waitForRun(await stack.start('sec-honest', { order: 'a-1' }));
    expect(honest.status).toBe('succeeded');
  });

  it('a CPU-bound expression stops at the node timeout', async () => {
    await stack.deploy(
      chainFlow('sec-spin', [
        {
          id: 'spin',
          type: 'mapping.map',
          timeoutMs: 200,
          // 21 million operations under a raised operation limit: only the deadline stops it.
          config: { fields: [{ target: 'n', expression: SPIN }] },
        },
      ]),
    );
    const run = (await stack.waitForRun(await stack.start('sec-spin', {}))) as unknown as FailedRun;
    expect(run.status).toBe('failed');
    expect(run.failure?.error).toMatchObject({ code: 'expression-budget', retryable: false });
    expect(run.failure?.error.message).toMatch(/ran past the node timeout/);
    expect(run.failure?.error.message).toMatch(/field fields\[0\]\.expression/);
  });
});
