import { defineNode } from '../../../sdk/manifest';

export const switchRule = defineNode({
  type: 'rule.switch',
  version: 1,
  category: 'rule',
  title: 'Switch',
  description:
    'Sends the message out of the first named case whose condition holds, else "default".',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'default', label: 'Default', description: 'No case matched.' }],
  dynamicOutputs: { from: 'cases', key: 'port', labelKey: 'label' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['cases'],
    properties: {
      cases: {
        type: 'array',
        minItems: 1,
        description: 'Checked in order; each case is an output port.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['port', 'condition'],
          properties: {
            port: {
              type: 'string',
              pattern: '^[a-z][a-z0-9-]*$',
              not: { enum: ['default', 'error', 'in'] },
              description: 'Port id, e.g. "express"; lower-case letters, digits and dashes.',
            },
            label: { type: 'string', description: 'Port label on the canvas.' },
            condition: {
              'x-expression': true,
              description: 'json-logic condition over the message.',
            },
          },
        },
      },
      mode: {
        type: 'string',
        enum: ['first', 'all'],
        default: 'first',
        description: '"first": only the first matching case; "all": every matching case.',
      },
    },
  },
  defaults: {
    cases: [{ port: 'heavy', label: 'Heavy', condition: { '>': [{ var: 'weightKg' }, 30] } }],
    mode: 'first',
  },
  sideEffects: false,
  docs: [
    'Evaluates each case\'s `condition` against the message, in order. With `mode` "first" (the default) the unchanged message leaves through the first case whose condition is truthy; with "all" through every such case. When none matches it leaves through `default`. Each case adds an output port named by its `port`.',
    '',
    'Example: cases `[{"port": "express", "condition": {"==": [{"var": "serviceLevel"}, "EXPRESS"]}}, {"port": "freight", "condition": {">": [{"var": "weightKg"}, 70]}}]` send `{"serviceLevel": "GROUND", "weightKg": 120}` out of `freight`.',
  ].join('\n'),
});
