import { CANONICAL_TYPES } from '../../../canonical/schemas';
import type { JsonObject } from '../../../sdk/json';
import { defineNode } from '../../../sdk/manifest';

/** A dotted target path that never names a prototype key. */
export const TARGET_PATH_PATTERN =
  '^(?!(?:.*\\.)?(?:__proto__|constructor|prototype)(?:\\.|$))[A-Za-z_$][A-Za-z0-9_$-]*(?:\\.[A-Za-z_$][A-Za-z0-9_$-]*)*$';

/** How deep `each` may nest (order → lines → packages is 2). */
export const MAX_EACH_DEPTH = 3;

/**
 * The schema of one field mapping, with `each` nested `depth` more times. Spelled out rather than
 * `$ref`-recursive so that every nested expression is found (and checked) by the validator.
 */
function fieldSchema(depth: number): JsonObject {
  const properties: JsonObject = {
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
    required: {
      type: 'boolean',
      description: 'Fail with invalid-input when the value is null and there is no default.',
    },
  };
  const branches: JsonObject[] = [{ required: ['expression'], properties: { expression: true } }];
  if (depth > 0) {
    properties.each = {
      type: 'object',
      additionalProperties: false,
      required: ['items', 'fields'],
      description:
        'Builds an array: one object per element of `items`; its `fields` see {"item", "index", "root"}.',
      properties: {
        items: { 'x-expression': true, description: 'json-logic giving the source array.' },
        fields: { type: 'array', items: fieldSchema(depth - 1) },
      },
    };
    branches.push({ required: ['each'], properties: { each: true } });
  }
  return {
    type: 'object',
    additionalProperties: false,
    required: ['target'],
    oneOf: branches,
    properties,
  };
}

export const mapMapping = defineNode({
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
        items: fieldSchema(MAX_EACH_DEPTH),
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
      outputSchema: {
        type: 'string',
        enum: [...CANONICAL_TYPES],
        description: 'Canonical object the result must be; otherwise the step fails, listing why.',
      },
    },
  },
  defaults: { fields: [], keepSource: false },
  sideEffects: false,
  docs: [
    'Evaluates each field\'s `expression` against the incoming message and writes the result at `target` (a dotted path; intermediate objects are created). A null result writes `default` when one is given; with `required` and no default it fails with `invalid-input`. `tables` feeds the `lookup` operation, e.g. `{"lookup": ["uom", {"var": "unit"}]}`; units and dates are expressions too: `{"convert_uom": [{"var": "weight"}, "LBR", "KGM"]}`, `{"date_parse": [{"var": "date"}, "yyyyMMdd", "America/Chicago"]}`.',
    '',
    'A field with `each` builds an array: for every element of `items` it maps `fields` (nested up to 3 levels) against `{"item": <element>, "index": <0-based>, "root": <whole message>}`. With `outputSchema` the result is checked against that canonical schema and a mismatch fails with `validation-failed`, every problem listed with its path. Paths through `__proto__`, `constructor` or `prototype` are refused.',
    '',
    'Example: `{"outputSchema": "SalesOrder", "fields": [{"target": "orderNumber", "expression": {"var": "BEG03"}}, {"target": "lines", "each": {"items": {"var": "PO1"}, "fields": [{"target": "lineNumber", "expression": {"+": [{"var": "index"}, 1]}}, {"target": "quantity.unit", "expression": {"var": "item.unit"}, "default": "EA"}]}}]}`.',
  ].join('\n'),
});
