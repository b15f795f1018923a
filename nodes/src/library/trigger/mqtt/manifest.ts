import { defineNode } from '../../../sdk/manifest';
import { BROKER_TRIGGER_DOCS, brokerTriggerProperties } from '../broker-trigger';

export const mqttTrigger = defineNode({
  type: 'trigger.mqtt',
  version: 1,
  category: 'trigger',
  title: 'MQTT topic',
  description: 'Starts a run for each message on an MQTT topic (QoS 1).',
  inputs: [],
  outputs: [{ id: 'out', label: 'Message body' }],
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
        type: 'string',
        minLength: 1,
        description: 'Topic filter; `+` and `#` are wildcards, e.g. "dock/+/scan".',
      },
      ...brokerTriggerProperties,
    },
  },
  defaults: { connection: 'mqtt', topic: 'crossdock/events', contentType: 'json' },
  sideEffects: false,
  activation: { kind: 'consumer', transport: 'mqtt' },
  connection: { kinds: ['mqtt'] },
  docs: [
    "Subscribes at QoS 1 with a persistent session (clean session off, a client id per flow and node), so messages published while the subscriber is away are kept by the broker. MQTT has no competing consumers: one worker process at a time holds the subscription (a lock in Redis), another takes over when it stops. The PUBACK goes only after the run is recorded. The message body is the run's payload.",
    '',
    BROKER_TRIGGER_DOCS,
  ].join('\n'),
});
