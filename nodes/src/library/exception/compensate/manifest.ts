import { defineNode } from '../../../sdk/manifest';

export const compensateException = defineNode({
  type: 'exception.compensate',
  version: 1,
  category: 'exception',
  title: 'Compensate',
  description:
    'Starts another deployed flow that undoes work, with a payload built from the message.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Started', description: '{flowId, runId, payload}' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['flowId'],
    properties: {
      flowId: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9-]*$',
        description: 'Id of the deployed flow to start, e.g. "cancel-fulfillment".',
      },
      payload: {
        'x-expression': true,
        description: "json-logic building that flow's trigger message; by default this message.",
      },
    },
  },
  defaults: { flowId: 'undo-order' },
  sideEffects: true,
  docs: 'Starts a run of the deployed flow `flowId` with `payload` (a json-logic expression over the message; the message itself by default) and emits `{"flowId", "runId", "payload"}`. The start carries this step\'s idempotency key, so a retried step does not start the flow twice. Example: after a catch on a failed carrier booking, `{"flowId": "cancel-fulfillment", "payload": {"object": [["fulfillmentOrderId", {"var": "input.fulfillmentOrderId"}], ["reason", {"var": "error.message"}]]}}`.',
});
