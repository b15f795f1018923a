import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { brokerBody, brokerDestination, publishOutput } from '../broker-message';

export const executeAmqpPublish: NodeExecutor = async (input, ctx) => {
  const headers = (ctx.config.headers ?? {}) as Record<string, string>;
  const receipt = await ctx.transport('amqp').publish({
    exchange: String(ctx.config.exchange ?? ''),
    routingKey: brokerDestination(ctx, input, 'routingKey'),
    body: brokerBody(ctx, input),
    headers,
    messageId: ctx.idempotencyKey,
    persistent: ctx.config.transient !== true,
  });
  return emit(publishOutput(ctx, input, { ...receipt }));
};
