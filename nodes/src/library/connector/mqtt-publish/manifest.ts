import { defineNode } from '../../../sdk/manifest';
import { brokerPublishProperties } from '../broker-message';

export const mqttPublishConnector = defineNode({
  type: 'connector.mqtt-publish',
  version: 1,
  category: 'connector',
  title: 'MQTT publish',
  description: 'Publishes the message to an MQTT topic and waits for the broker to acknowledge it.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Published' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'topic'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of an mqtt connection; the environment supplies host and auth.',
      },
      topic: {
        'x-expression': true,
        description:
          'Topic: a string such as "dock/door-4/status", or json-logic over the message.',
      },
      qos: {
        type: 'integer',
        minimum: 0,
        maximum: 2,
        default: 1,
        description: '0 at most once, 1 at least once (acknowledged), 2 exactly once.',
      },
      retain: {
        type: 'boolean',
        default: false,
        description: 'The broker keeps the message as the topic’s last value for new subscribers.',
      },
      ...brokerPublishProperties,
    },
  },
  defaults: { connection: 'mqtt', topic: 'crossdock/events', qos: 1, output: 'message' },
  sideEffects: true,
  connection: { kinds: ['mqtt'] },
  retry: { maxAttempts: 5 },
  docs: [
    'Publishes at the configured QoS (1 by default) and succeeds once the broker acknowledged it (PUBACK; PUBCOMP at QoS 2). While the broker is away the client keeps the message and sends it on reconnect, within the step timeout; a timeout is transient and retried. MQTT has no message id a subscriber sees: a retried step may deliver twice at QoS 1, so subscribers should be idempotent on a business key.',
    '',
    'Example: `{"connection": "mqtt", "topic": {"cat": ["dock/", {"var": "door"}, "/status"]}, "qos": 1}` on `{"door": "D4", "status": "loading"}` publishes to `dock/D4/status`.',
  ].join('\n'),
});
