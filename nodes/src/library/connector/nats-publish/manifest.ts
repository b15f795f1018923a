import { defineNode } from '../../../sdk/manifest';
import { brokerPublishProperties } from '../broker-message';

export const natsPublishConnector = defineNode({
  type: 'connector.nats-publish',
  version: 1,
  category: 'connector',
  title: 'NATS publish',
  description:
    'Publishes the message to a NATS JetStream subject and waits for the stream to store it.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Published' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'subject'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of a nats connection; the environment supplies host and auth.',
      },
      subject: {
        'x-expression': true,
        description:
          'Subject: a string such as "tms.milestones.delivered", or json-logic over the message.',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Message headers.',
      },
      ...brokerPublishProperties,
    },
  },
  defaults: { connection: 'nats', subject: 'crossdock.events', output: 'message' },
  sideEffects: true,
  connection: { kinds: ['nats'] },
  retry: { maxAttempts: 5 },
  docs: [
    "JetStream publish: the step succeeds once a stream stored the message. `Nats-Msg-Id` is the step's idempotency key, so a retry after a lost acknowledgment is dropped by the stream's duplicate window instead of stored twice (the receipt says `duplicate: true`). No stream on the subject, a timeout or a lost connection are transient and retried.",
    '',
    'Example: `{"connection": "nats", "subject": {"cat": ["tms.milestones.", {"var": "code"}]}}` on `{"shipmentId": "SH-1", "code": "D1"}` publishes to `tms.milestones.D1`.',
  ].join('\n'),
});
