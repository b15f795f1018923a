import { defineNode } from '../../../sdk/manifest';

export const manualTrigger = defineNode({
  type: 'trigger.manual',
  version: 1,
  category: 'trigger',
  title: 'Manual trigger',
  description: 'Starts a run with a payload given by hand: a test run, the API or the CLI.',
  inputs: [],
  outputs: [{ id: 'out', label: 'Payload' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      sample: {
        type: 'string',
        description: 'Name of the sample payload the designer offers first.',
      },
    },
  },
  defaults: {},
  sideEffects: false,
  docs: "Emits the trigger payload unchanged on `out`. Use it for flows started from the API (`POST /api/flows/:id/runs`) or the designer's test run.",
});
