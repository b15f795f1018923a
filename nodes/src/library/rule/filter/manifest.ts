import { defineNode } from '../../../sdk/manifest';

export const filterRule = defineNode({
  type: 'rule.filter',
  version: 1,
  category: 'rule',
  title: 'Filter',
  description: 'Lets a message through only when a condition holds; drops it otherwise.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Kept' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['condition'],
    properties: {
      condition: {
        'x-expression': true,
        description: 'json-logic condition over the message; truthy keeps it.',
      },
    },
  },
  defaults: { condition: { '!!': [{ var: 'orderNumber' }] } },
  sideEffects: false,
  docs: 'Evaluates `condition` against the message. A truthy result passes the unchanged message on `out`; otherwise the message stops here (the step succeeds and emits nothing, and the trace shows it as filtered). Example: `{"in": [{"var": "status"}, ["RELEASED", "CONFIRMED"]]}` drops orders in any other status.',
});
