import type { JsonValue } from '../json';
import { isJsonObject } from '../json';

/** What an operation may read besides its arguments. Set by `evaluate` for one synchronous call. */
export interface OperationScope {
  tables: Record<string, Record<string, JsonValue>>;
}

export interface OperationSpec {
  name: string;
  /** One line for the rule builder and the node reference. */
  description: string;
  /** A rule and what it evaluates to, shown in the docs and run as a test. */
  example: { rule: JsonValue; data: JsonValue; result: JsonValue };
  apply(scope: OperationScope, args: unknown[]): JsonValue;
}

/** json-logic's own operations that rules may use. `log` is left out: rules have no side effects. */
export const JSON_LOGIC_OPERATIONS: readonly string[] = [
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  'cat',
  'substr',
];

function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

/**
 * Crossdock's own operations. Each is pure: no I/O, no clock (dates come from the data or from
 * `now` in the trigger), so a rule gives the same answer on replay.
 */
export const CROSSDOCK_OPERATIONS: readonly OperationSpec[] = [
  {
    name: 'lookup',
    description:
      'Looks a key up in a named lookup table: ["table", key, fallback?]. Returns the fallback (or null) when the key is absent.',
    example: {
      rule: { lookup: ['carriers', { var: 'scac' }, 'UNKNOWN'] },
      data: { scac: 'UPSN' },
      result: 'UPS',
    },
    apply(scope, [table, key, fallback]) {
      const name = str(table);
      const t = Object.hasOwn(scope.tables, name) ? scope.tables[name] : undefined;
      const k = str(key);
      if (isJsonObject(t) && Object.hasOwn(t, k)) return toJson(t[k]);
      return toJson(fallback);
    },
  },
  {
    name: 'upper',
    description: 'Upper-cases a string.',
    example: { rule: { upper: { var: 'code' } }, data: { code: 'deham' }, result: 'DEHAM' },
    apply: (_scope, [s]) => str(s).toUpperCase(),
  },
  {
    name: 'lower',
    description: 'Lower-cases a string.',
    example: { rule: { lower: 'EA' }, data: null, result: 'ea' },
    apply: (_scope, [s]) => str(s).toLowerCase(),
  },
  {
    name: 'trim',
    description: 'Removes white space at both ends of a string.',
    example: { rule: { trim: '  A-100 ' }, data: null, result: 'A-100' },
    apply: (_scope, [s]) => str(s).trim(),
  },
  {
    name: 'split',
    description: 'Splits a string by a separator: [string, separator].',
    example: { rule: { split: ['a|b', '|'] }, data: null, result: ['a', 'b'] },
    apply: (_scope, [s, sep]) => str(s).split(str(sep)),
  },
  {
    name: 'join',
    description: 'Joins an array of values with a separator: [array, separator].',
    example: { rule: { join: [['a', 'b'], '-'] }, data: null, result: 'a-b' },
    apply: (_scope, [list, sep]) =>
      Array.isArray(list) ? list.map(str).join(str(sep)) : str(list),
  },
  {
    name: 'pad_start',
    description:
      'Pads a string on the left to a length: [string, length, pad?] (pad defaults to "0").',
    example: { rule: { pad_start: ['42', 6] }, data: null, result: '000042' },
    apply: (_scope, [s, len, pad]) =>
      str(s).padStart(Math.min(Number(len) || 0, 1000), pad === undefined ? '0' : str(pad)),
  },
  {
    name: 'coalesce',
    description: 'The first argument that is neither null nor an empty string.',
    example: {
      rule: { coalesce: [{ var: 'a' }, { var: 'b' }, 'none'] },
      data: { b: 'x' },
      result: 'x',
    },
    apply: (_scope, args) => toJson(args.find((a) => a !== null && a !== undefined && a !== '')),
  },
  {
    name: 'to_number',
    description: 'Parses a number from a string; null when it is not one.',
    example: { rule: { to_number: '12.5' }, data: null, result: 12.5 },
    apply: (_scope, [s]) => {
      const n = typeof s === 'number' ? s : Number.parseFloat(str(s));
      return Number.isFinite(n) ? n : null;
    },
  },
  {
    name: 'round',
    description: 'Rounds a number to a number of decimals: [number, decimals?].',
    example: { rule: { round: [2.345, 2] }, data: null, result: 2.35 },
    apply: (_scope, [n, d]) => {
      const f = 10 ** Math.min(Math.max(Number(d) || 0, 0), 12);
      return Math.round((Number(n) + Number.EPSILON) * f) / f;
    },
  },
  {
    name: 'object',
    description: 'Builds an object from key/value pairs: {"object": [[key, value], …]}.',
    example: {
      rule: { object: [['sku', { var: 'item' }]] },
      data: { item: 'A1' },
      result: { sku: 'A1' },
    },
    // json-logic spreads the evaluated argument list, so each pair arrives as its own argument.
    apply: (_scope, pairs) => {
      const out: Record<string, JsonValue> = {};
      for (const pair of pairs) {
        if (!Array.isArray(pair)) continue;
        const key = str(pair[0]);
        if (FORBIDDEN_KEYS.has(key)) continue;
        out[key] = toJson(pair[1]);
      }
      return out;
    },
  },
  {
    name: 'get',
    description: 'Reads a dotted path from a value (not the data): [value, "a.b", fallback?].',
    example: {
      rule: { get: [{ var: 'order' }, 'shipTo.city'] },
      data: { order: { shipTo: { city: 'Lyon' } } },
      result: 'Lyon',
    },
    apply: (_scope, [value, path, fallback]) => readPath(value, str(path), toJson(fallback)),
  },
];

/** Property names a rule may never read or write: they reach the prototype chain. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/**
 * Reads a dotted path, own properties only: `var` on `constructor` gives the fallback, not
 * Object's constructor.
 */
export function readPath(data: unknown, path: string, fallback: JsonValue): JsonValue {
  if (path === '') return toJson(data);
  let current: unknown = data;
  for (const segment of path.split('.')) {
    if (FORBIDDEN_KEYS.has(segment)) return fallback;
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return fallback;
      current = current[index];
    } else if (isJsonObject(current)) {
      if (!Object.hasOwn(current, segment)) return fallback;
      current = current[segment];
    } else {
      return fallback;
    }
    if (current === undefined) return fallback;
  }
  return toJson(current);
}

export const KNOWN_OPERATIONS: ReadonlySet<string> = new Set([
  ...JSON_LOGIC_OPERATIONS,
  ...CROSSDOCK_OPERATIONS.map((op) => op.name),
]);
