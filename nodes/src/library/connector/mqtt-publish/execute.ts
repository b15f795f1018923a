import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { brokerBody, brokerDestination, publishOutput } from '../broker-message';

/** A topic to publish on: no wildcards, not empty (NUL is refused by the broker client). */
const TOPIC = /^[^#+]+$/;

export const executeMqttPublish: NodeExecutor = async (input, ctx) => {
  const qos = ctx.config.qos ?? 1;
  if (qos !== 0 && qos !== 1 && qos !== 2) {
    throw new PermanentError(
      'invalid-config',
      `The QoS of node "${ctx.nodeId}" must be 0, 1 or 2.`,
    );
  }
  const receipt = await ctx.transport('mqtt').publish({
    topic: brokerDestination(ctx, input, 'topic', TOPIC),
    body: brokerBody(ctx, input),
    qos,
    retain: ctx.config.retain === true,
  });
  return emit(publishOutput(ctx, input, { ...receipt }));
};
