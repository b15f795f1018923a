import { defineNode } from '../../../sdk/manifest';
import { brokerPublishProperties } from '../broker-message';

export const amqpPublishConnector = defineNode({
  type: 'connector.amqp-publish',
  version: 1,
  category: 'connector',
  title: 'RabbitMQ publish',
  description:
    'Publishes the message to a RabbitMQ exchange and waits for the broker to confirm it.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Published' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'exchange', 'routingKey'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of an amqp connection; the environment supplies host, vhost and auth.',
      },
      exchange: {
        type: 'string',
        maxLength: 255,
        description:
          'Exchange to publish to; empty for the default exchange (routing key = queue).',
      },
      routingKey: {
        'x-expression': true,
        description:
          'Routing key: a string, or json-logic over the message, e.g. {"cat": ["pick.", {"var": "site"}]}.',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Message headers (AMQP table, string values).',
      },
      transient: {
        type: 'boolean',
        default: false,
        description:
          'Delivery mode 1: not written to disk (by default messages are persistent and durable queues keep them across a broker restart).',
      },
      ...brokerPublishProperties,
    },
  },
  defaults: {
    connection: 'broker',
    exchange: 'crossdock',
    routingKey: 'events',
    output: 'message',
  },
  sideEffects: true,
  connection: { kinds: ['amqp'] },
  retry: { maxAttempts: 5 },
  docs: [
    'Publishes on a confirm channel as `mandatory`: the step succeeds once the broker confirms the message. A message no queue would take (no binding matches) and a missing exchange fail permanently; a nack, a timeout or a lost connection are transient and retried.',
    '',
    "The message id is the step's idempotency key (stable across retries and redeliveries), so a consumer can drop a repeat; the body is the message as JSON (or `body`'s result; a string goes as text) with content type `application/json`.",
    '',
    'Example: `{"connection": "broker", "exchange": "tms", "routingKey": {"cat": ["shipment.", {"var": "status"}]}}` on `{"shipmentId": "SH-1", "status": "tendered"}` publishes to exchange `tms` with routing key `shipment.tendered`.',
  ].join('\n'),
});
