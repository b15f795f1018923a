import { describe, expect, it } from 'vitest';
import type { NodeInput } from '../../../sdk/executor-types';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeSplit } from './execute';
import { splitFlow } from './manifest';

describe('flow.split', () => {
  it('emits one message per item with a split frame', async () => {
    const result = await executeSplit(
      message({ lines: [{ sku: 'A' }, { sku: 'B' }] }),
      fakeContext({ items: { var: 'lines' } }),
    );
    const id = 'run-1:node-1:run-1:node-1';
    expect(result.emissions).toEqual([
      { port: 'out', payload: { sku: 'A' }, splits: [{ id, index: 0, count: 2 }] },
      { port: 'out', payload: { sku: 'B' }, splits: [{ id, index: 1, count: 2 }] },
    ]);
  });

  it('keeps outer frames and gives the same frames on a retry of the step', async () => {
    const outer = { id: 'outer', index: 3, count: 5 };
    const input: NodeInput = {
      payload: [1, 2],
      port: 'in',
      meta: { correlationId: 'c', splits: [outer] },
    };
    const first = await executeSplit(input, fakeContext({ items: { var: '' } }));
    const retry = await executeSplit(input, fakeContext({ items: { var: '' } }, { attempt: 2 }));
    expect(first).toEqual(retry);
    expect(first.emissions[1]?.splits?.[0]).toEqual(outer);
    const other = await executeSplit(
      input,
      fakeContext({ items: { var: '' } }, { idempotencyKey: 'run-1:node-1:m2' }),
    );
    expect(other.emissions[0]?.splits?.[1]?.id).not.toBe(first.emissions[0]?.splits?.[1]?.id);
  });

  it('sends the message to "empty" when there is nothing to split', async () => {
    const result = await executeSplit(
      message({ lines: [] }),
      fakeContext({ items: { var: 'lines' } }),
    );
    expect(result.emissions).toEqual([{ port: 'empty', payload: { lines: [] } }]);
  });

  it('refuses input that is not an array, or too long, with a permanent error', async () => {
    await expect(
      executeSplit(message({ lines: 'A,B' }), fakeContext({ items: { var: 'lines' } })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-input', message: /string/ });
    await expect(
      executeSplit(message([1, 2, 3]), fakeContext({ items: { var: '' }, maxItems: 2 })),
    ).rejects.toMatchObject({ code: 'invalid-input', details: { count: 3, maxItems: 2 } });
  });

  it('rejects a bad config in validation', () => {
    expect(checkSchema(splitFlow.configSchema, {})[0]?.pointer).toEqual(['items']);
    expect(
      checkSchema(splitFlow.configSchema, { items: { var: 'x' }, maxItems: 0 })[0]?.pointer,
    ).toEqual(['maxItems']);
  });
});
