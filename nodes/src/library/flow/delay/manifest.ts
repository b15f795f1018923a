import { defineNode } from '../../../sdk/manifest';

/** The longest a delay may hold a message: 30 days. */
export const MAX_DELAY_MS = 2_592_000_000;

export const delayFlow = defineNode({
  type: 'flow.delay',
  version: 1,
  category: 'flow',
  title: 'Delay',
  description: 'Holds the message for a while, or until a time, then passes it on.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Message' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    oneOf: [
      { required: ['delayMs'], properties: { delayMs: { type: 'integer' } } },
      { required: ['until'], properties: { until: true } },
    ],
    properties: {
      delayMs: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_DELAY_MS,
        description: 'How long to hold the message, in milliseconds.',
      },
      until: {
        'x-expression': true,
        description:
          'json-logic giving an ISO 8601 time to hold the message until (a past time passes it on at once).',
      },
    },
  },
  defaults: { delayMs: 60_000 },
  sideEffects: false,
  docs: 'Passes the unchanged message on `out` after `delayMs`, or at the time `until` evaluates to (ISO 8601, capped at 30 days from now). The wait is durable: the runtime schedules the delivery in the queue, so no worker sits idle and a restart does not lose it. Example: `{"until": {"date_add": [{"var": "pickupAt"}, -2, "hours"]}}` sends a reminder two hours before pick-up.',
});
