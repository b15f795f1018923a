import jsonLogic from 'json-logic-js';
import type { JsonValue } from '../json';
import type { BudgetMeter } from './budget';
import { REFERENCE_OPERATIONS } from './budget';
import {
  allowedSegments,
  CROSSDOCK_OPERATIONS,
  type OperationScope,
  readAllowedSegments,
  readPath,
} from './operations';

/** The scope of an evaluation in progress: always metered. */
export interface MeteredScope extends OperationScope {
  meter: BudgetMeter;
}

/**
 * A checked rule turned into closures: the same answer, the same errors and the same charges to
 * the meter, in the same order, as json-logic-js 2.0.5 under `evaluate`'s metering wrapper, for
 * any data. Built once per rule object, it skips what json-logic does again on every node of
 * every call: `Object.keys` to find the operator (twice: once in the wrapper), wrapping a lone
 * argument in an array, and the closures of `values.map`.
 */
export type CompiledRule = (data: unknown, scope: MeteredScope) => unknown;

type Operation = (data: unknown, scope: MeteredScope, args: unknown[]) => unknown;

function textLength(value: unknown): number {
  return value === null || value === undefined ? 0 : String(value).length;
}

/** `var`, own properties only (json-logic's own would read `constructor`). */
export function readVar(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = (fallback === undefined ? null : fallback) as Parameters<typeof readPath>[2];
  if (path === undefined || path === null || path === '') return data;
  return readPath(data, String(path), notFound);
}

/** `merge`, which builds its result in one step: the size is charged before it exists. */
export function mergeAll(meter: BudgetMeter | undefined, args: unknown[]): unknown[] {
  const size = args.reduce<number>((n, a) => n + (Array.isArray(a) ? a.length : 1), 0);
  meter?.chargeItems(size);
  return args.reduce<unknown[]>((out, a) => out.concat(a), []);
}

/** `cat`, charged before the text is built, as `merge`. */
export function concatenate(meter: BudgetMeter | undefined, args: unknown[]): string {
  meter?.chargeText(args.reduce<number>((n, a) => n + textLength(a), 0));
  return args.join('');
}

/** `parseFloat` of anything, as json-logic's arithmetic reads its operands (text included). */
const float = (value: unknown): number => Number.parseFloat(value as string);

// Loose comparisons on purpose throughout: json-logic's operators are JavaScript's.
type Loose = number;

/**
 * Every operation but `missing` and `missing_some`, as json-logic-js 2.0.5 runs it on the
 * evaluated arguments (`args`). Those two evaluate computed values as a rule, and are left to
 * json-logic itself; so is the one failure whose message json-logic words itself (`in`).
 */
const OPERATIONS = new Map<string, Operation>([
  // biome-ignore lint/suspicious/noDoubleEquals: json-logic's `==` is JavaScript's.
  ['==', (_d, _s, [a, b]) => a == b],
  ['===', (_d, _s, [a, b]) => a === b],
  // biome-ignore lint/suspicious/noDoubleEquals: json-logic's `!=` is JavaScript's.
  ['!=', (_d, _s, [a, b]) => a != b],
  ['!==', (_d, _s, [a, b]) => a !== b],
  ['>', (_d, _s, [a, b]) => (a as Loose) > (b as Loose)],
  ['>=', (_d, _s, [a, b]) => (a as Loose) >= (b as Loose)],
  [
    '<',
    (_d, _s, [a, b, c]) =>
      c === undefined
        ? (a as Loose) < (b as Loose)
        : (a as Loose) < (b as Loose) && (b as Loose) < (c as Loose),
  ],
  [
    '<=',
    (_d, _s, [a, b, c]) =>
      c === undefined
        ? (a as Loose) <= (b as Loose)
        : (a as Loose) <= (b as Loose) && (b as Loose) <= (c as Loose),
  ],
  ['!!', (_d, _s, [a]) => jsonLogic.truthy(a)],
  ['!', (_d, _s, [a]) => !jsonLogic.truthy(a)],
  ['%', (_d, _s, [a, b]) => (a as Loose) % (b as Loose)],
  [
    'in',
    (_d, _s, [a, b]) => {
      const list = b as { indexOf?: (x: unknown) => number } | null | undefined;
      if (!list || typeof list.indexOf === 'undefined') return false;
      // A value with an `indexOf` that is not a function (data may have one): json-logic's
      // own `in` fails on it, and says so in its own words (which a minifier may change).
      if (typeof list.indexOf !== 'function') return jsonLogicIn(a, b);
      return (list as { indexOf: (x: unknown) => number }).indexOf(a) !== -1;
    },
  ],
  [
    'substr',
    (_d, _s, [source, start, end]) => {
      if ((end as Loose) < 0) {
        const temp = String(source).substr(start as Loose);
        return temp.substr(0, temp.length + (end as Loose));
      }
      return String(source).substr(start as Loose, end as Loose);
    },
  ],
  ['+', (_d, _s, args) => args.reduce<number>((a, b) => float(a) + float(b), 0)],
  ['*', (_d, _s, args) => args.reduce((a, b) => float(a) * float(b))],
  ['-', (_d, _s, [a, b]) => (b === undefined ? -(a as Loose) : (a as Loose) - (b as Loose))],
  ['/', (_d, _s, [a, b]) => (a as Loose) / (b as Loose)],
  ['min', (_d, _s, args) => Math.min(...(args as Loose[]))],
  ['max', (_d, _s, args) => Math.max(...(args as Loose[]))],
  ['var', (data, _s, [path, fallback]) => readVar(data, path, fallback)],
  ['merge', (_d, scope, args) => mergeAll(scope.meter, args)],
  ['cat', (_d, scope, args) => concatenate(scope.meter, args)],
  ...CROSSDOCK_OPERATIONS.map((op): [string, Operation] => [
    op.name,
    (_d, scope, args) => op.apply(scope, args),
  ]),
]);

const identity =
  (value: unknown): CompiledRule =>
  () =>
    value;

/** json-logic's test for a rule (as opposed to a literal): an object with exactly one key. */
function isLogic(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1
  );
}

/** A node that counts as one operation: entered, run, charged for its result, left. */
function metered(op: string | undefined, body: CompiledRule): CompiledRule {
  if (op !== undefined && REFERENCE_OPERATIONS.has(op)) {
    // The meter charges nothing for these (their result already exists): not asked.
    return (data, scope) => {
      const meter = scope.meter;
      meter.enter();
      try {
        return body(data, scope);
      } finally {
        meter.leave();
      }
    };
  }
  return (data, scope) => {
    const meter = scope.meter;
    meter.enter();
    try {
      const result = body(data, scope);
      meter.charge(op, result);
      return result;
    } finally {
      meter.leave();
    }
  };
}

/** Compiles a rule that passed `checkExpression`. */
export function compileRule(logic: unknown): CompiledRule {
  if (Array.isArray(logic)) {
    const items = logic.map(compileRule);
    return metered(undefined, (data, scope) => items.map((item) => item(data, scope)));
  }
  if (!isLogic(logic)) return identity(logic);
  const op = Object.keys(logic)[0] as string;
  const raw = logic[op];
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  return metered(op, compileOperation(logic, op, values));
}

function truthy(value: unknown): boolean {
  return jsonLogic.truthy(value);
}

function compileOperation(logic: object, op: string, values: unknown[]): CompiledRule {
  if (op === 'var') {
    const [path, fallback] = values;
    // A constant path with at most a constant, non-object fallback (json-logic returns those
    // unevaluated and unmetered): split once, here.
    if (
      typeof path === 'string' &&
      path !== '' &&
      values.length <= 2 &&
      (typeof fallback !== 'object' || fallback === null)
    ) {
      const segments = allowedSegments(path);
      const notFound = (fallback === undefined ? null : fallback) as JsonValue;
      // A path into the prototype (refused by `checkExpression` anyway) reads as not found.
      if (segments === undefined) return () => notFound;
      return (data) => readAllowedSegments(data, segments, notFound);
    }
  }
  const args = values.map(compileRule);
  const arg = (i: number): CompiledRule => args[i] ?? identity(undefined);
  switch (op) {
    case 'if':
    case '?:':
      return (data, scope) => {
        let i = 0;
        for (; i < args.length - 1; i += 2) {
          if (truthy((args[i] as CompiledRule)(data, scope))) {
            return (args[i + 1] as CompiledRule)(data, scope);
          }
        }
        if (args.length === i + 1) return (args[i] as CompiledRule)(data, scope);
        return null;
      };
    case 'and':
      return (data, scope) => {
        let current: unknown;
        for (const a of args) {
          current = a(data, scope);
          if (!truthy(current)) return current;
        }
        return current;
      };
    case 'or':
      return (data, scope) => {
        let current: unknown;
        for (const a of args) {
          current = a(data, scope);
          if (truthy(current)) return current;
        }
        return current;
      };
    case 'filter':
    case 'map':
    case 'all':
    case 'none':
    case 'some':
      return compileLoop(op, arg(0), arg(1));
    case 'reduce': {
      const list = arg(0);
      const step = arg(1);
      const initial = values[2] !== undefined ? arg(2) : identity(null);
      return (data, scope) => {
        const items = list(data, scope);
        const start = initial(data, scope);
        if (!Array.isArray(items)) return start;
        return items.reduce(
          (accumulator: unknown, current: unknown) => step({ current, accumulator }, scope),
          start,
        );
      };
    }
  }
  const operation = OPERATIONS.get(op);
  // `missing` and `missing_some` (and any operation added to json-logic later): json-logic
  // itself evaluates the node, metered by `evaluate`'s wrapper, which is entered here instead.
  if (!operation) return (data) => unwrapped(logic, data);
  return (data, scope) => {
    const evaluated = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) evaluated[i] = (args[i] as CompiledRule)(data, scope);
    return operation(data, scope, evaluated);
  };
}

/** json-logic's own `in` on evaluated values, unmetered; set by `evaluate`. */
let jsonLogicIn: (a: unknown, b: unknown) => unknown = () => {
  throw new Error('The compiled evaluator ran before json-logic was installed.');
};

export function setJsonLogicIn(run: (a: unknown, b: unknown) => unknown): void {
  jsonLogicIn = run;
}

/**
 * json-logic's own `apply` for one node this module does not compile; set by `evaluate` to the
 * unmetered original, since `metered` above already counts the node.
 */
let unwrapped: (logic: unknown, data: unknown) => unknown = () => {
  throw new Error('The compiled evaluator ran before json-logic was installed.');
};

export function setUnwrappedApply(apply: (logic: unknown, data: unknown) => unknown): void {
  unwrapped = apply;
}

function compileLoop(
  op: 'filter' | 'map' | 'all' | 'none' | 'some',
  list: CompiledRule,
  each: CompiledRule,
): CompiledRule {
  switch (op) {
    case 'filter':
      return (data, scope) => {
        const items = list(data, scope);
        if (!Array.isArray(items)) return [];
        return items.filter((datum) => truthy(each(datum, scope)));
      };
    case 'map':
      return (data, scope) => {
        const items = list(data, scope);
        if (!Array.isArray(items)) return [];
        return items.map((datum) => each(datum, scope));
      };
    case 'all':
      return (data, scope) => {
        const items = list(data, scope);
        if (!Array.isArray(items) || !items.length) return false;
        for (let i = 0; i < items.length; i++) if (!truthy(each(items[i], scope))) return false;
        return true;
      };
    case 'none':
      return (data, scope) => {
        const items = list(data, scope);
        if (!Array.isArray(items) || !items.length) return true;
        for (let i = 0; i < items.length; i++) if (truthy(each(items[i], scope))) return false;
        return true;
      };
    case 'some':
      return (data, scope) => {
        const items = list(data, scope);
        if (!Array.isArray(items) || !items.length) return false;
        for (let i = 0; i < items.length; i++) if (truthy(each(items[i], scope))) return true;
        return false;
      };
  }
}
