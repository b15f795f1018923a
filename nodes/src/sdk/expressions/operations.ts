import { DateTime } from 'luxon';
import type { JsonValue } from '../json';
import { isJsonObject } from '../json';
import type { BudgetMeter } from './budget';
import { addToDate, formatDate, parseDate, toIso } from './dates';
import { convertUnit } from './units';

/** What an operation may read besides its arguments. Set by `evaluate` for one synchronous call. */
export interface OperationScope {
  tables: Record<string, Record<string, JsonValue>>;
  /** The run's clock, for `now`; absent where the caller has none. */
  now?: Date;
  /** The budget of the evaluation in progress: operations that build a value charge it first. */
  meter?: BudgetMeter;
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

/** The longest text an operation may build. */
export const MAX_TEXT_LENGTH = 1_000_000;

function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}

function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Crossdock's own operations. Each is pure: no I/O, and no clock but the run's (`now` reads the
 * time the caller passed), so a rule gives the same answer on replay.
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
    apply: (scope, [list, sep]) => {
      if (!Array.isArray(list)) return str(list);
      const parts = list.map(str);
      const glue = str(sep);
      // An array of many references to one long text would otherwise join into gigabytes.
      scope.meter?.chargeText(
        parts.reduce((n, p) => n + p.length, 0) + glue.length * Math.max(parts.length - 1, 0),
      );
      return parts.join(glue);
    },
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
  {
    name: 'convert_uom',
    description:
      'Converts a quantity between UN/ECE Rec 20 units of the same dimension: [value, from, to], e.g. LBR to KGM, INH to CMT, FTQ to MTQ, DZN to EA. Null when the value is not a number; an error across dimensions or for an unknown code.',
    example: {
      rule: { convert_uom: [{ var: 'weight' }, 'LBR', 'KGM'] },
      data: { weight: 10 },
      result: 4.5359237,
    },
    apply: (_scope, [value, from, to]) => {
      const n = num(value);
      return n === null ? null : convertUnit(n, str(from).toUpperCase(), str(to).toUpperCase());
    },
  },
  {
    name: 'date_parse',
    description:
      'Reads a date: [text, format?, zone?]. The format uses Luxon tokens (e.g. "yyyyMMdd HHmm"), ISO 8601 without one; local times are in the IANA zone (UTC by default). Gives ISO 8601 in UTC, or null when the text does not fit.',
    example: {
      rule: { date_parse: ['20261127 0930', 'yyyyMMdd HHmm', 'Europe/Berlin'] },
      data: null,
      result: '2026-11-27T08:30:00.000Z',
    },
    apply: (_scope, [text, format, zone]) => parseDate(text, format, zone),
  },
  {
    name: 'date_format',
    description:
      'Writes a date (ISO 8601 or epoch milliseconds) in a Luxon format and IANA zone: [date, format?, zone?]; ISO 8601 in the zone without a format.',
    example: {
      rule: { date_format: [{ var: 'at' }, 'yyyy-MM-dd HH:mm', 'America/Chicago'] },
      data: { at: '2026-11-27T15:00:00Z' },
      result: '2026-11-27 09:00',
    },
    apply: (_scope, [value, format, zone]) => formatDate(value, format, zone),
  },
  {
    name: 'date_add',
    description:
      'Adds an amount of years, months, weeks, days, hours, minutes, seconds or milliseconds to a date in an IANA zone (calendar days keep the wall-clock time across DST): [date, amount, unit, zone?]. Gives ISO 8601 in UTC.',
    example: {
      rule: { date_add: ['2026-03-28T09:00:00Z', 1, 'days', 'Europe/Berlin'] },
      data: null,
      result: '2026-03-29T08:00:00.000Z',
    },
    apply: (_scope, [value, amount, unit, zone]) => addToDate(value, amount, unit, zone),
  },
  {
    name: 'now',
    description:
      "The current time on the run's clock (the step's context, a fixed clock in tests) as ISO 8601 in UTC.",
    example: { rule: { now: [] }, data: null, result: '2026-11-27T10:00:00.000Z' },
    apply: (scope) => {
      if (!scope.now) {
        throw new Error(
          '"now" needs the run clock, and this expression was evaluated without one.',
        );
      }
      return toIso(DateTime.fromJSDate(scope.now));
    },
  },
  {
    name: 'replace',
    description:
      'Replaces every occurrence of a text (not a pattern): [string, search, replacement].',
    example: { rule: { replace: ['DE-HAM-01', '-', ''] }, data: null, result: 'DEHAM01' },
    apply: (_scope, [s, search, replacement]) => {
      const needle = str(search);
      if (needle === '') return str(s);
      const parts = str(s).split(needle);
      const filler = str(replacement);
      // A short text with many hits and a long replacement could otherwise exhaust memory.
      if (str(s).length + (parts.length - 1) * filler.length > MAX_TEXT_LENGTH) {
        throw new Error(`"replace" would make a text longer than ${MAX_TEXT_LENGTH} characters.`);
      }
      return parts.join(filler);
    },
  },
  {
    name: 'starts_with',
    description: 'True when a string starts with a prefix: [string, prefix].',
    example: {
      rule: { starts_with: [{ var: 'sku' }, 'PAL-'] },
      data: { sku: 'PAL-7' },
      result: true,
    },
    apply: (_scope, [s, prefix]) => str(s).startsWith(str(prefix)),
  },
  {
    name: 'ends_with',
    description: 'True when a string ends with a suffix: [string, suffix].',
    example: { rule: { ends_with: ['label.pdf', '.pdf'] }, data: null, result: true },
    apply: (_scope, [s, suffix]) => str(s).endsWith(str(suffix)),
  },
  {
    name: 'pad_end',
    description:
      'Pads a string on the right to a length: [string, length, pad?] (pad defaults to " ").',
    example: { rule: { pad_end: ['AB', 4] }, data: null, result: 'AB  ' },
    apply: (_scope, [s, len, pad]) =>
      str(s).padEnd(Math.min(Number(len) || 0, 1000), pad === undefined ? ' ' : str(pad)),
  },
  {
    name: 'length',
    description: 'The length of a string or an array; 0 for anything else.',
    example: { rule: { length: { var: 'lines' } }, data: { lines: [1, 2, 3] }, result: 3 },
    apply: (_scope, [value]) =>
      typeof value === 'string' || Array.isArray(value) ? value.length : 0,
  },
];

/** Property names a rule may never read or write: they reach the prototype chain. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/**
 * Paths split once: a flow's paths are the same few texts on every message, and splitting one
 * per read was a measurable share of a mapping's allocations. Bounded, for computed paths.
 */
const SEGMENTS = new Map<string, readonly string[]>();
const MAX_CACHED_PATHS = 10_000;
/** A longer path (built by a rule, say) is split each time: the cache never holds big texts. */
const MAX_CACHED_PATH_LENGTH = 200;

function segmentsOf(path: string): readonly string[] {
  if (path.length > MAX_CACHED_PATH_LENGTH) return path.split('.');
  let segments = SEGMENTS.get(path);
  if (segments === undefined) {
    if (SEGMENTS.size >= MAX_CACHED_PATHS) SEGMENTS.clear();
    segments = path.split('.');
    SEGMENTS.set(path, segments);
  }
  return segments;
}

/**
 * Reads a dotted path, own properties only: `var` on `constructor` gives the fallback, not
 * Object's constructor.
 */
export function readPath(data: unknown, path: string, fallback: JsonValue): JsonValue {
  if (path === '') return toJson(data);
  const segments = segmentsOf(path);
  // A forbidden segment anywhere gives the fallback, as every other way out before the end does.
  for (const segment of segments) if (FORBIDDEN_KEYS.has(segment)) return fallback;
  return readAllowedSegments(data, segments, fallback);
}

/** Splits a constant path once for `readAllowedSegments`; undefined when a segment is forbidden. */
export function allowedSegments(path: string): readonly string[] | undefined {
  const segments = path.split('.');
  return segments.some((s) => FORBIDDEN_KEYS.has(s)) ? undefined : segments;
}

/** `readPath` of segments known to be allowed (`allowedSegments`): a rule's constant path. */
export function readAllowedSegments(
  data: unknown,
  segments: readonly string[],
  fallback: JsonValue,
): JsonValue {
  let current: unknown = data;
  for (const segment of segments) {
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
