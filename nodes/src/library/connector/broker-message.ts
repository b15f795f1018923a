import { PermanentError } from '../../sdk/errors';
import type { NodeContext, NodeInput } from '../../sdk/executor-types';
import type { Expression } from '../../sdk/flow-types';
import type { JsonObject, JsonValue } from '../../sdk/json';

/** Config fields every broker publish node shares. */
export const brokerPublishProperties: JsonObject = {
  body: {
    'x-expression': true,
    description: 'json-logic that builds the message body; by default the message itself.',
  },
  output: {
    type: 'string',
    enum: ['message', 'receipt'],
    default: 'message',
    description:
      'What leaves on "out": the message unchanged, or the broker\'s receipt (what it confirmed).',
  },
};

/** The body as the broker carries it: text stays text, anything else is JSON. */
export function brokerBody(ctx: NodeContext, input: NodeInput): string {
  const body = ctx.config.body;
  const value =
    body === undefined ? input.payload : ctx.evaluate(body as Expression, input.payload);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A destination (routing key, subject, topic) from its expression: a plain string is itself, an
 * expression is evaluated over the message and must give a non-empty string.
 */
export function brokerDestination(
  ctx: NodeContext,
  input: NodeInput,
  field: string,
  pattern?: RegExp,
): string {
  const value = ctx.evaluate(ctx.config[field] as Expression, input.payload);
  if (typeof value !== 'string' || (value === '' && field !== 'routingKey')) {
    throw new PermanentError(
      'invalid-input',
      `The ${field} of node "${ctx.nodeId}" evaluated to ${JSON.stringify(value)}, not a non-empty string.`,
    );
  }
  if (pattern && !pattern.test(value)) {
    throw new PermanentError(
      'invalid-input',
      `The ${field} "${value}" of node "${ctx.nodeId}" is not a valid ${field} (wildcards and spaces are for subscriptions).`,
    );
  }
  return value;
}

/** The publish node's output: the message, or the receipt. */
export function publishOutput(ctx: NodeContext, input: NodeInput, receipt: JsonValue): JsonValue {
  return ctx.config.output === 'receipt' ? receipt : input.payload;
}
