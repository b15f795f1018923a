import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../sdk/executor-types';

export const executeCompensate: NodeExecutor = async (input, ctx) => {
  const flowId = ctx.config.flowId;
  if (typeof flowId !== 'string' || flowId === '') {
    throw new PermanentError('invalid-config', 'The compensate node needs a "flowId".');
  }
  const payload =
    ctx.config.payload === undefined
      ? input.payload
      : ctx.evaluate(ctx.config.payload, input.payload, { now: ctx.now() });
  const runId = await ctx.startFlow(flowId, payload);
  return emit({ flowId, runId, payload });
};
