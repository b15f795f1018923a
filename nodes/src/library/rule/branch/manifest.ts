import { defineNode } from '../../../sdk/manifest';

export const branchRule = defineNode({
  type: 'rule.branch',
  version: 1,
  category: 'rule',
  title: 'Branch',
  description: 'Sends the message to "true" or "false" by a json-logic condition.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [
    { id: 'true', label: 'True' },
    { id: 'false', label: 'False' },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['condition'],
    properties: {
      condition: {
        'x-expression': true,
        description:
          'A json-logic condition over the message, e.g. {">": [{"var": "weightKg"}, 30]}.',
      },
    },
  },
  defaults: { condition: { '==': [1, 1] } },
  sideEffects: false,
  docs: 'Evaluates `condition` against the incoming message. A truthy result (json-logic truthiness: empty arrays and strings are false) sends the unchanged message out of `true`, anything else out of `false`.',
});
