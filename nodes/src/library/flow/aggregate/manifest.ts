import { defineNode } from '../../../sdk/manifest';

export const aggregateFlow = defineNode({
  type: 'flow.aggregate',
  version: 1,
  category: 'flow',
  title: 'Aggregate',
  description: 'Collects the items of a split back into one array, in their original order.',
  inputs: [{ id: 'in', label: 'Item' }],
  outputs: [
    { id: 'out', label: 'All items', description: 'The array of every item, in split order.' },
    {
      id: 'partial',
      label: 'Partial',
      description: '{items, partial: true, expected, received} when the timeout ends the wait.',
    },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      timeoutMs: {
        type: 'integer',
        minimum: 1,
        maximum: 604_800_000,
        description: 'How long to wait for the rest after the first item arrives.',
      },
      onTimeout: {
        type: 'string',
        enum: ['partial', 'error'],
        default: 'partial',
        description: '"partial" emits what arrived on "partial"; "error" fails the step.',
      },
    },
  },
  defaults: { onTimeout: 'partial' },
  sideEffects: false,
  docs: [
    'Receives the messages of the innermost `flow.split` upstream and keeps them in the run state. When every item has arrived it emits the array of items, ordered as in the split, on `out`, and the message leaves the split (its frame is removed). An item delivered twice (a retried step) counts once.',
    '',
    'With `timeoutMs`, the wait starts at the first item; when it ends first, `onTimeout` "partial" emits `{"items": […], "partial": true, "expected": 5, "received": 3}` on `partial` (items that arrive later are dropped), and "error" fails the step with a permanent `timeout` error. A message that did not come from a split fails with `invalid-input`.',
    '',
    'Example: after a split of 3 order lines and a per-line WMS call, `{"timeoutMs": 600000}` emits the 3 responses as one array.',
  ].join('\n'),
});
