import { defineNode } from '../../../sdk/manifest';
import { BROKER_TRIGGER_DOCS, brokerTriggerProperties } from '../broker-trigger';

export const amqpTrigger = defineNode({
  type: 'trigger.amqp',
  version: 1,
  category: 'trigger',
  title: 'RabbitMQ queue',
  description: 'Starts a run for each message on a RabbitMQ queue, with its bindings declared.',
  inputs: [],
  outputs: [{ id: 'out', label: 'Message body' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'queue'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of an amqp connection; the environment supplies host, vhost and auth.',
      },
      queue: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        description: 'The durable queue to consume; declared if it does not exist.',
      },
      bindings: {
        type: 'array',
        description: 'Exchange bindings declared at start (exchanges are declared durable).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['exchange', 'routingKey'],
          properties: {
            exchange: { type: 'string', minLength: 1, maxLength: 255 },
            exchangeType: {
              type: 'string',
              enum: ['topic', 'direct', 'fanout', 'headers'],
              default: 'topic',
            },
            routingKey: {
              type: 'string',
              maxLength: 255,
              description: 'Binding key; `*` and `#` are wildcards on topic exchanges.',
            },
          },
        },
      },
      deadLetterExchange: {
        type: 'string',
        minLength: 1,
        description:
          'Exchange that receives rejected messages (bodies that do not parse); set on the queue when it is declared.',
      },
      prefetch: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 10,
        description: 'Messages a worker holds unacknowledged at most.',
      },
      ...brokerTriggerProperties,
    },
  },
  defaults: { connection: 'broker', queue: 'crossdock.events', prefetch: 10, contentType: 'json' },
  sideEffects: false,
  activation: { kind: 'consumer', transport: 'amqp' },
  connection: { kinds: ['amqp'] },
  docs: [
    "Consumes `queue` (durable, declared with its `bindings` when the trigger starts) with manual acknowledgments and `prefetch` messages in flight per worker; the message body is the run's payload.",
    '',
    BROKER_TRIGGER_DOCS,
  ].join('\n'),
});
