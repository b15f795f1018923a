import { PermanentError } from '../../../sdk/errors';
import {
  emit,
  type NodeContext,
  type NodeExecutor,
  type NodeInput,
  type NodeResult,
  type SplitFrame,
  TIMER_PORT,
} from '../../../sdk/executor-types';
import { isJsonObject, type JsonValue } from '../../../sdk/json';

function stateKeys(ctx: NodeContext, frameId: string) {
  const base = `aggregate:${ctx.nodeId}:${frameId}`;
  return { items: `${base}:items`, done: `${base}:done` };
}

/** Items by split index; the first delivery of an index wins (a retried step appends again). */
function byIndex(list: JsonValue[]): Map<number, JsonValue> {
  const out = new Map<number, JsonValue>();
  for (const entry of list) {
    if (!isJsonObject(entry) || typeof entry.index !== 'number') continue;
    if (!out.has(entry.index)) out.set(entry.index, entry.payload ?? null);
  }
  return out;
}

function ordered(items: Map<number, JsonValue>): JsonValue[] {
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, payload]) => payload);
}

async function finish(ctx: NodeContext, frameId: string): Promise<void> {
  const keys = stateKeys(ctx, frameId);
  await ctx.runState.set(keys.done, true);
  await ctx.runState.delete(keys.items);
}

function innermostFrame(input: NodeInput): SplitFrame {
  const frame = input.meta.splits.at(-1);
  if (!frame) {
    throw new PermanentError(
      'invalid-input',
      'The aggregate received a message that did not come from a split; put a flow.split upstream.',
    );
  }
  return frame;
}

async function onItem(input: NodeInput, ctx: NodeContext): Promise<NodeResult> {
  const frame = innermostFrame(input);
  const keys = stateKeys(ctx, frame.id);
  if ((await ctx.runState.get(keys.done)) === true) {
    ctx.log.warn('An item arrived after its aggregate finished; it is dropped.', {
      split: frame.id,
      index: frame.index,
    });
    return { emissions: [] };
  }
  const list = await ctx.runState.append(keys.items, {
    index: frame.index,
    payload: input.payload,
  });
  const timeoutMs = ctx.config.timeoutMs;
  if (list.length === 1 && typeof timeoutMs === 'number') await ctx.setTimer(frame.id, timeoutMs);
  const items = byIndex(list);
  if (items.size < frame.count) return { emissions: [] };
  await finish(ctx, frame.id);
  // There is no cancel: a timer with the same key replaces the pending one, and fires at once
  // into a finished aggregate, so the run does not wait out the timeout.
  if (typeof timeoutMs === 'number') await ctx.setTimer(frame.id, 0);
  return {
    emissions: [{ port: 'out', payload: ordered(items), splits: input.meta.splits.slice(0, -1) }],
  };
}

async function onTimer(input: NodeInput, ctx: NodeContext): Promise<NodeResult> {
  const frame = innermostFrame(input);
  const keys = stateKeys(ctx, frame.id);
  if ((await ctx.runState.get(keys.done)) === true) return { emissions: [] };
  const stored = await ctx.runState.get(keys.items);
  const items = byIndex(Array.isArray(stored) ? stored : []);
  await finish(ctx, frame.id);
  const received = items.size;
  if (ctx.config.onTimeout === 'error') {
    throw new PermanentError(
      'timeout',
      `Only ${received} of ${frame.count} split items arrived within ${String(ctx.config.timeoutMs)} ms.`,
      { details: { expected: frame.count, received } },
    );
  }
  const result = emit(
    { items: ordered(items), partial: true, expected: frame.count, received },
    'partial',
  );
  return {
    emissions: result.emissions.map((e) => ({ ...e, splits: input.meta.splits.slice(0, -1) })),
  };
}

export const executeAggregate: NodeExecutor = async (input, ctx) =>
  input.port === TIMER_PORT ? onTimer(input, ctx) : onItem(input, ctx);
