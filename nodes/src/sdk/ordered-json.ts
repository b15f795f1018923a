import { formatJson } from './format';
import { isJsonObject } from './json';

/** A JSON value with every object's keys sorted (the canonical form of free-form parts). */
export function sortedJson(value: unknown): unknown {
  return JSON.parse(formatJson(value)) as unknown;
}

/**
 * An object with the structural keys in `order` first and everything else sorted after, each
 * value passed through `child`: how the file writers give the same document the same bytes.
 */
export function orderedJson(
  value: unknown,
  order: readonly string[],
  child: (key: string, v: unknown) => unknown = (_k, v) => sortedJson(v),
): unknown {
  if (!isJsonObject(value)) return sortedJson(value);
  const keys = [
    ...order.filter((k) => value[k] !== undefined),
    ...Object.keys(value)
      .filter((k) => !order.includes(k) && value[k] !== undefined)
      .sort(),
  ];
  return Object.fromEntries(keys.map((k) => [k, child(k, value[k])]));
}
