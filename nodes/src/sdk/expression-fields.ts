import { isJsonObject, type JsonPath } from './json';

/** An expression found in a config, with where it sits. */
export interface ExpressionField {
  pointer: JsonPath;
  value: unknown;
}

/**
 * Finds every value in `value` that `schema` marks with `x-expression: true`, following
 * `properties`, `additionalProperties` and `items`. Values that do not fit the schema are skipped:
 * the schema check reports those.
 */
export function findExpressions(
  schema: unknown,
  value: unknown,
  at: JsonPath = [],
): ExpressionField[] {
  if (!isJsonObject(schema) || value === undefined) return [];
  if (schema['x-expression'] === true) return [{ pointer: at, value }];
  const out: ExpressionField[] = [];
  if (isJsonObject(value)) {
    const props = isJsonObject(schema.properties) ? schema.properties : {};
    for (const [key, child] of Object.entries(value)) {
      const sub = Object.hasOwn(props, key) ? props[key] : schema.additionalProperties;
      out.push(...findExpressions(sub, child, [...at, key]));
    }
  } else if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      out.push(...findExpressions(schema.items, item, [...at, i]));
    });
  }
  return out;
}
