import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { brokerBody, brokerDestination, publishOutput } from '../broker-message';

/** A subject to publish on: tokens without wildcards or white space. */
const SUBJECT = /^[^\s*>.]+(\.[^\s*>.]+)*$/;

export const executeNatsPublish: NodeExecutor = async (input, ctx) => {
  const receipt = await ctx.transport('nats').publish({
    subject: brokerDestination(ctx, input, 'subject', SUBJECT),
    body: brokerBody(ctx, input),
    headers: (ctx.config.headers ?? {}) as Record<string, string>,
    msgId: ctx.idempotencyKey,
  });
  return emit(publishOutput(ctx, input, { ...receipt }));
};
