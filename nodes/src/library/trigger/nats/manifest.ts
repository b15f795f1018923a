import { defineNode } from '../../../sdk/manifest';
import { BROKER_TRIGGER_DOCS, brokerTriggerProperties } from '../broker-trigger';

export const natsTrigger = defineNode({
  type: 'trigger.nats',
  version: 1,
  category: 'trigger',
  title: 'NATS JetStream consumer',
  description: 'Starts a run for each message of a JetStream durable consumer.',
  inputs: [],
  outputs: [{ id: 'out', label: 'Message body' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'stream', 'consumer'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of a nats connection; the environment supplies host and auth.',
      },
      stream: {
        type: 'string',
        pattern: '^[^\\s.*>]+$',
        description: 'The JetStream stream (it must exist).',
      },
      consumer: {
        type: 'string',
        pattern: '^[^\\s.*>]+$',
        description: 'Durable consumer name; created (explicit acks) if it does not exist.',
      },
      filterSubject: {
        type: 'string',
        pattern: '^\\S+$',
        description:
          'Only subjects matching this filter (wildcards allowed), e.g. "tms.milestones.>".',
      },
      ackWaitMs: {
        type: 'integer',
        minimum: 1000,
        maximum: 3600000,
        default: 30000,
        description: 'How long the server waits for an acknowledgment before it redelivers.',
      },
      ...brokerTriggerProperties,
    },
  },
  defaults: { connection: 'nats', stream: 'EVENTS', consumer: 'crossdock', contentType: 'json' },
  sideEffects: false,
  activation: { kind: 'consumer', transport: 'nats' },
  connection: { kinds: ['nats'] },
  docs: [
    "Pulls from the durable consumer `consumer` of `stream` (created with explicit acks and `filterSubject` if missing); every worker pulls from the same durable consumer, so each message goes to one of them. The message body is the run's payload.",
    '',
    BROKER_TRIGGER_DOCS,
  ].join('\n'),
});
