import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { truthy } from '../../../sdk/expressions/evaluate';

export const executeFilter: NodeExecutor = async (input, ctx) => {
  const keep = truthy(
    ctx.evaluate(ctx.config.condition ?? null, input.payload, { now: ctx.now() }),
  );
  return keep ? emit(input.payload) : { emissions: [] };
};
