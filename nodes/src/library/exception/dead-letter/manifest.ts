import { defineNode } from '../../../sdk/manifest';

export const deadLetterException = defineNode({
  type: 'exception.dead-letter',
  version: 1,
  category: 'exception',
  title: 'Dead letter',
  description: 'Parks the message in the exception queue with a reason for an operator.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: {
      reason: {
        'x-expression': true,
        description:
          'json-logic giving the text an operator reads, e.g. {"cat": ["No carrier for ", {"var": "input.orderNumber"}]}.',
      },
    },
  },
  defaults: { reason: 'Needs an operator.' },
  sideEffects: false,
  docs: 'Stops the message and parks it in the exception queue, where an operator sees `reason`, the message and the run, and can replay it (optionally edited) or discard it. Nothing leaves the node. The runtime records it like a permanent failure with code `dead-lettered` (the node returns `deadLetter: {reason, details}`); when the message is an error from a catch node, `details` holds that error. Example: after a catch node, `{"reason": {"cat": ["ERP refused order ", {"var": "input.orderNumber"}, ": ", {"var": "error.message"}]}}`.',
});
