import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { truthy } from '../../../sdk/expressions/evaluate';

export const executeBranch: NodeExecutor = async (input, ctx) => {
  const result = ctx.evaluate(ctx.config.condition ?? null, input.payload, { now: ctx.now() });
  return emit(input.payload, truthy(result) ? 'true' : 'false');
};
