import { CANONICAL_TYPES } from '../../../canonical/schemas';
import { defineNode } from '../../../sdk/manifest';

export const validateRule = defineNode({
  type: 'rule.validate',
  version: 1,
  category: 'rule',
  title: 'Validate',
  description: 'Checks the message against a canonical schema and json-logic checks.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [
    { id: 'valid', label: 'Valid', description: 'The unchanged message.' },
    { id: 'invalid', label: 'Invalid', description: '{input, failures}: what failed, and where.' },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    // Either is enough; ajv's strict mode wants each required name declared beside it.
    anyOf: [
      { required: ['schema'], properties: { schema: { type: 'string' } } },
      { required: ['checks'], properties: { checks: { type: 'array' } } },
    ],
    properties: {
      schema: {
        type: 'string',
        enum: [...CANONICAL_TYPES],
        description: 'Canonical object the message must be, e.g. "SalesOrder".',
      },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'condition'],
          properties: {
            name: { type: 'string', minLength: 1, description: 'Short name, e.g. "has-lines".' },
            condition: {
              'x-expression': true,
              description: 'json-logic that must be truthy for the message to pass.',
            },
            message: { type: 'string', description: 'What an operator reads when it fails.' },
          },
        },
      },
    },
  },
  // The runtime lays the config over the defaults: an empty check list changes no config.
  defaults: { checks: [] },
  sideEffects: false,
  docs: [
    'Validates the message against the canonical `schema` (if given) and every json-logic check in `checks` (all of them run, so every failure is listed). A message that passes leaves unchanged through `valid`; otherwise `invalid` carries `{"input": <message>, "failures": [{"source": "schema" | "check", "name"?, "pointer"?, "message"}]}`.',
    '',
    'Example: `{"schema": "SalesOrder", "checks": [{"name": "has-lines", "condition": {"!!": [{"var": "lines"}]}, "message": "The order has no lines."}]}`.',
  ].join('\n'),
});
