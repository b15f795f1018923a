import { describe, expect, it } from 'vitest';
import { type NodeInput, TIMER_PORT } from '../../../sdk/executor-types';
import type { JsonObject, JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeSplit } from '../split/execute';
import { executeAggregate } from './execute';
import { aggregateFlow } from './manifest';

const outer = { id: 'outer', index: 0, count: 1 };

async function splitItems(items: JsonValue[]): Promise<NodeInput[]> {
  const input: NodeInput = {
    payload: items,
    port: 'in',
    meta: { correlationId: 'c', splits: [outer] },
  };
  const result = await executeSplit(input, fakeContext({ items: { var: '' } }));
  return result.emissions.map((e) => ({
    payload: e.payload,
    port: 'in',
    meta: { correlationId: 'c', splits: e.splits ?? [] },
  }));
}

function aggregator(config: JsonObject) {
  return fakeContext(config, { nodeId: 'agg' });
}

describe('flow.aggregate', () => {
  it('collects every item back in split order, once, and pops the frame', async () => {
    const inputs = await splitItems(['a', 'b', 'c']);
    const ctx = aggregator({ timeoutMs: 60_000 });
    const order = [inputs[2], inputs[0], inputs[2], inputs[1]] as NodeInput[];
    const results = [];
    for (const input of order) results.push(await executeAggregate(input, ctx));
    expect(results.slice(0, 3).map((r) => r.emissions)).toEqual([[], [], []]);
    expect(results[3]?.emissions).toEqual([
      { port: 'out', payload: ['a', 'b', 'c'], splits: [outer] },
    ]);
    const key = inputs[0]?.meta.splits[1]?.id;
    // The timeout starts with the first item and is replaced by an immediate no-op at the end.
    expect(ctx.extras.timers).toEqual([
      { key, afterMs: 60_000 },
      { key, afterMs: 0 },
    ]);
  });

  it('drops items that arrive after it finished and ignores a late timer', async () => {
    const inputs = await splitItems(['a']);
    const ctx = aggregator({});
    const first = inputs[0] as NodeInput;
    expect((await executeAggregate(first, ctx)).emissions).toHaveLength(1);
    expect(await executeAggregate(first, ctx)).toEqual({ emissions: [] });
    expect(ctx.extras.logs.some((l) => l.level === 'warn')).toBe(true);
    const timer = { ...first, port: TIMER_PORT, payload: { key: 'x' } };
    expect(await executeAggregate(timer, ctx)).toEqual({ emissions: [] });
  });

  it('emits what arrived on "partial" when the timeout ends the wait', async () => {
    const inputs = await splitItems(['a', 'b', 'c']);
    const ctx = aggregator({ timeoutMs: 1000 });
    await executeAggregate(inputs[2] as NodeInput, ctx);
    await executeAggregate(inputs[0] as NodeInput, ctx);
    const timer = { ...(inputs[2] as NodeInput), port: TIMER_PORT, payload: { key: 'k' } };
    const result = await executeAggregate(timer, ctx);
    expect(result.emissions).toEqual([
      {
        port: 'partial',
        payload: { items: ['a', 'c'], partial: true, expected: 3, received: 2 },
        splits: [outer],
      },
    ]);
    expect(await executeAggregate(inputs[1] as NodeInput, ctx)).toEqual({ emissions: [] });
  });

  it('fails the step on timeout when asked to', async () => {
    const inputs = await splitItems(['a', 'b']);
    const ctx = aggregator({ timeoutMs: 1000, onTimeout: 'error' });
    await executeAggregate(inputs[0] as NodeInput, ctx);
    const timer = { ...(inputs[0] as NodeInput), port: TIMER_PORT, payload: { key: 'k' } };
    await expect(executeAggregate(timer, ctx)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'timeout',
      details: { expected: 2, received: 1 },
    });
  });

  it('refuses a message that did not come from a split', async () => {
    await expect(executeAggregate(message('x'), aggregator({}))).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
    });
  });

  it('rejects a bad config in validation', () => {
    expect(checkSchema(aggregateFlow.configSchema, { timeoutMs: 0 })[0]?.pointer).toEqual([
      'timeoutMs',
    ]);
    expect(checkSchema(aggregateFlow.configSchema, { onTimeout: 'drop' })[0]?.pointer).toEqual([
      'onTimeout',
    ]);
  });
});
