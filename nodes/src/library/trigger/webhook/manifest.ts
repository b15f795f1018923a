import { defineNode } from '../../../sdk/manifest';

/** The longest a webhook caller may be kept waiting for a `flow.respond` answer. */
export const MAX_REPLY_TIMEOUT_MS = 60_000;

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
      replyTimeoutMs: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_REPLY_TIMEOUT_MS,
        description:
          "Request-reply: how long the caller waits for the flow's Respond to webhook node before it gets 202 with the run id.",
      },
    },
  },
  defaults: { path: 'my-system/my-event', contentType: 'json' },
  sideEffects: false,
  activation: {
    kind: 'webhook',
    path: 'path',
    signatureSecret: 'signatureSecret',
    contentType: 'contentType',
    replyTimeout: 'replyTimeoutMs',
  },
  docs: 'Receives `POST /hooks/<path>`. The body becomes the run\'s trigger payload and leaves on `out`. With `signatureSecret`, the sender signs `<timestamp>.<raw body>` with HMAC-SHA256 and sends the headers `x-crossdock-timestamp` and `x-crossdock-signature`; unsigned, old (over 5 minutes) or future-dated (over 30 s) deliveries are refused, and each signature is accepted once (a replay answers 409). The secret must be one the environment declares (its `secrets` list). A path belongs to the first flow deployed on it. A delivery whose idempotency key was already seen answers with the existing run id and starts nothing. With `replyTimeoutMs` (request-reply, up to 60 000 ms), the caller waits for the flow\'s `flow.respond` node and gets its status, headers and body; the run is accepted and recorded first, and when the flow ends without answering or is slower than the timeout the caller gets `202 {"runId"}` and the run goes on.',
});
