import { PermanentError } from '../../../sdk/errors';
import type { NodeExecutor, SplitFrame } from '../../../sdk/executor-types';
import { DEFAULT_MAX_ITEMS } from './manifest';

/**
 * The id of one split of one message: the step's idempotency key is stable across retries and
 * unique per message and node, so a re-run split produces the same frames.
 */
export function splitId(runId: string, nodeId: string, idempotencyKey: string): string {
  return `${runId}:${nodeId}:${idempotencyKey}`;
}

export const executeSplit: NodeExecutor = async (input, ctx) => {
  const items = ctx.evaluate(ctx.config.items ?? { var: '' }, input.payload, { now: ctx.now() });
  if (!Array.isArray(items)) {
    throw new PermanentError(
      'invalid-input',
      `The split expects an array, but the items expression gave ${items === null ? 'null' : typeof items}.`,
    );
  }
  const max = typeof ctx.config.maxItems === 'number' ? ctx.config.maxItems : DEFAULT_MAX_ITEMS;
  if (items.length > max) {
    throw new PermanentError(
      'invalid-input',
      `The array has ${items.length} items, more than the split's limit of ${max}.`,
      { details: { count: items.length, maxItems: max } },
    );
  }
  if (items.length === 0) return { emissions: [{ port: 'empty', payload: input.payload }] };
  const id = splitId(ctx.runId, ctx.nodeId, ctx.idempotencyKey);
  return {
    emissions: items.map((payload, index) => {
      const frame: SplitFrame = { id, index, count: items.length };
      return { port: 'out', payload, splits: [...input.meta.splits, frame] };
    }),
  };
};
