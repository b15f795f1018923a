import { defineNode } from '../../../sdk/manifest';

export const webhookTrigger = defineNode({
  type: 'trigger.webhook',
  version: 1,
  category: 'trigger',
  title: 'Webhook',
  description: 'Starts a run for each event another system posts to /hooks/<path>.',
  inputs: [],
  outputs: [{ id: 'out', label: 'Event body' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9/_-]*$',
        description: 'The URL path after /hooks/, e.g. "erp/order-released".',
      },
      signatureSecret: {
        type: 'string',
        pattern: '^[A-Z][A-Z0-9_]*$',
        description:
          'Name of the secret that signs deliveries (HMAC-SHA256 over timestamp and raw body); the environment must declare it. Unsigned deliveries are refused when set.',
      },
      contentType: {
        type: 'string',
        enum: ['json', 'text'],
        default: 'json',
        description: 'json parses the body; text passes it as a string (X12, CSV).',
      },
    },
  },
  defaults: { path: 'my-system/my-event', contentType: 'json' },
  sideEffects: false,
  docs: "Receives `POST /hooks/<path>`. The body becomes the run's trigger payload and leaves on `out`. With `signatureSecret`, the sender signs `<timestamp>.<raw body>` with HMAC-SHA256 and sends the headers `x-crossdock-timestamp` and `x-crossdock-signature`; unsigned, old (over 5 minutes) or future-dated (over 30 s) deliveries are refused, and each signature is accepted once (a replay answers 409). The secret must be one the environment declares (its `secrets` list). A path belongs to the first flow deployed on it. A delivery whose idempotency key was already seen answers with the existing run id and starts nothing.",
});
