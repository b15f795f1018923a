import { defineNode } from '../../../sdk/manifest';

/** A dotted target path that never names a prototype key. */
export const TARGET_PATH_PATTERN =
  '^(?!(?:.*\\.)?(?:__proto__|constructor|prototype)(?:\\.|$))[A-Za-z_$][A-Za-z0-9_$-]*(?:\\.[A-Za-z_$][A-Za-z0-9_$-]*)*$';

export const mapNode = defineNode({
  type: 'mapping.map',
  version: 1,
  category: 'mapping',
  title: 'Map fields',
  description: 'Builds a new message field by field, each from a json-logic expression.',
  inputs: [{ id: 'in', label: 'Source' }],
  outputs: [{ id: 'out', label: 'Mapped' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['fields'],
    properties: {
      fields: {
        type: 'array',
        description: 'Target fields in the order they are written.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['target', 'expression'],
          properties: {
            target: {
              type: 'string',
              pattern: TARGET_PATH_PATTERN,
              description: 'Dotted path of the field to write, e.g. "shipTo.postalCode".',
            },
            expression: {
              'x-expression': true,
              description: 'json-logic over the source message, e.g. {"var": "order.number"}.',
            },
            default: { description: 'Written when the expression gives null.' },
          },
        },
      },
      keepSource: {
        type: 'boolean',
        default: false,
        description: 'Start from a copy of the source message instead of an empty object.',
      },
      tables: {
        type: 'object',
        description: 'Lookup tables for the "lookup" operation: {"table": {"key": "value"}}.',
        additionalProperties: { type: 'object' },
      },
    },
  },
  defaults: { fields: [], keepSource: false },
  sideEffects: false,
  docs: 'Evaluates each field\'s `expression` against the incoming message and writes the result at `target` (a dotted path; intermediate objects are created). A null result writes `default` when one is given. `tables` feeds the `lookup` operation, e.g. `{"lookup": ["uom", {"var": "unit"}]}`. Paths through `__proto__`, `constructor` or `prototype` are refused.',
});
