import { defineNode } from '../../../sdk/manifest';

export const milestoneFlow = defineNode({
  type: 'flow.milestone',
  version: 1,
  category: 'flow',
  title: 'Record milestone',
  description: 'Records a business process milestone for the object this message is about.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Message' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['process', 'milestone'],
    properties: {
      process: {
        type: 'string',
        minLength: 1,
        pattern: '^[a-z0-9][a-z0-9-]*$',
        description: 'The business process id (flows/processes/<id>.process.json).',
      },
      milestone: {
        type: 'string',
        minLength: 1,
        pattern: '^[a-z0-9][a-z0-9-]*$',
        description: 'The milestone id in that process.',
      },
      key: {
        'x-expression': true,
        description:
          "json-logic on the message giving the object's business key; default the run's business key the process names.",
      },
      occurredAt: {
        'x-expression': true,
        description: 'json-logic giving when it happened (ISO 8601); default now.',
      },
      attributes: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
        additionalProperties: { 'x-expression': true },
        description: 'Attributes to keep with the milestone, each a json-logic on the message.',
      },
    },
  },
  defaults: { process: 'order-to-cash', milestone: 'released' },
  sideEffects: true,
  docs: 'Records `milestone` of business process `process` for the object the message is about, as if the process file observed this step, and passes the message on unchanged. Use it where no single flow step marks the event (a milestone decided by a rule, or one a process file cannot name a node for). The key comes from `key` (json-logic on the message) or the run\'s business key; `occurredAt` and `attributes` are json-logic too. A retry of the step records it once. Example: `{"process": "order-to-cash", "milestone": "invoiced", "key": {"var": "orderNumber"}, "attributes": {"amount": {"var": "total"}}}`. An unknown process or milestone fails the step (permanent).',
});
