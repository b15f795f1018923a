import { defineNode } from '../../../sdk/manifest';

export const DEFAULT_MAX_ITEMS = 10_000;

export const splitFlow = defineNode({
  type: 'flow.split',
  version: 1,
  category: 'flow',
  title: 'Split',
  description: 'Sends one message per item of an array; an aggregate collects them back.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [
    { id: 'out', label: 'Item', description: 'One message per item.' },
    { id: 'empty', label: 'Empty', description: 'The unchanged message when the array is empty.' },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        'x-expression': true,
        description: 'json-logic giving the array to split, e.g. {"var": "lines"}.',
      },
      maxItems: {
        type: 'integer',
        minimum: 1,
        maximum: 100_000,
        default: DEFAULT_MAX_ITEMS,
        description: 'Larger arrays fail instead of flooding the queue.',
      },
    },
  },
  defaults: { items: { var: 'lines' }, maxItems: DEFAULT_MAX_ITEMS },
  sideEffects: false,
  docs: [
    'Evaluates `items` against the message and sends each element of the resulting array on `out` as its own message. Each carries a split frame `{id, index, count}` (the id is unique to this split of this message), so a `flow.aggregate` downstream can collect the items back in order. An empty array sends the original message on `empty`; something that is not an array, or more than `maxItems` elements, fails with a permanent `invalid-input` error.',
    '',
    'Example: `{"items": {"var": "lines"}}` on `{"orderNumber": "SO-1", "lines": [{"sku": "A"}, {"sku": "B"}]}` emits `{"sku": "A"}` and `{"sku": "B"}`. To keep order data on each item, build it: `{"map": [{"var": "lines"}, {"merge": …}]}` or map the message first.',
  ].join('\n'),
});
