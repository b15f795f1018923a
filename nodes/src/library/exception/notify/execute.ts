import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { sendHttp } from '../../connector/http/request';

export const executeNotify: NodeExecutor = async (input, ctx) => {
  const options = { now: ctx.now() };
  const body =
    ctx.config.body === undefined
      ? {
          severity: typeof ctx.config.severity === 'string' ? ctx.config.severity : 'warning',
          subject: ctx.evaluate(ctx.config.subject ?? null, input.payload, options),
          flowId: ctx.flowId,
          runId: ctx.runId,
          nodeId: ctx.nodeId,
          message: input.payload,
        }
      : ctx.evaluate(ctx.config.body, input.payload, options);
  await sendHttp(ctx, {
    method: 'POST',
    path: typeof ctx.config.path === 'string' ? ctx.config.path : '/',
    data: input.payload,
    body,
  });
  return emit(input.payload);
};
