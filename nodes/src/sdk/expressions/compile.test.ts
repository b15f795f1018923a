import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../json';
import type { ExpressionBudget } from './budget';
import { EXPRESSION_CASES } from './cases';
import { evaluate, evaluateInterpreted } from './evaluate';
import { CROSSDOCK_OPERATIONS, JSON_LOGIC_OPERATIONS } from './operations';

/**
 * The compiled evaluator (`compile.ts`, what `evaluate` runs) against json-logic-js itself
 * under the metering wrapper (`evaluateInterpreted`): on random rules over random data, under
 * random budgets, both give the same value, or the same error (code, message, details and
 * cause), budget errors included.
 */
const OPERATIONS = [...JSON_LOGIC_OPERATIONS, ...CROSSDOCK_OPERATIONS.map((op) => op.name)];
const NOW = new Date('2026-11-27T10:00:00Z');
const TABLES = { t: { k: 'v', a: 1, '1': 'one' }, carriers: { UPSN: 'UPS' } };

const PATHS = [
  '',
  'a',
  'b',
  's',
  'n',
  'xs',
  'xs.0',
  'xs.9',
  'lines',
  'lines.0.qty',
  'lines.1.sku',
  'o',
  'o.indexOf',
  'deep.a.b',
  'current',
  'accumulator',
  'current.qty',
  'current.sku',
  'missing',
  'toString',
  '0',
  '1',
];

const scalar = fc.oneof(
  fc.integer({ min: -20, max: 40 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1, 2, 2.5, '', '0', '1', '2.5', 'x', 'abc', 'a.b', ' 3 ', 'true'),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
);

const path = fc.oneof(fc.constantFrom(...PATHS), fc.integer({ min: -1, max: 3 }));

const { expr } = fc.letrec<{ expr: unknown; op: unknown; shaped: unknown }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    path.map((p) => ({ var: p })),
    tie('op'),
    tie('shaped'),
    fc.array(tie('expr'), { maxLength: 4 }),
    // Literals json-logic does not evaluate: objects of several keys, and the empty object.
    fc.record({ x: tie('expr'), y: scalar }),
    fc.constant({}),
    // Rules whose value is undefined rather than null, which some operations tell apart.
    fc.constantFrom(
      { and: [] },
      { or: [] },
      { if: [{ and: [] }] },
      { if: [false, 1, { or: [] }] },
      { '?:': [{ var: 'a' }, { and: [] }] },
    ),
  ),
  op: fc.oneof(
    fc
      .tuple(fc.constantFrom(...OPERATIONS), fc.array(tie('expr'), { maxLength: 4 }))
      .map(([op, args]) => ({ [op]: args })),
    // A lone argument, not in an array.
    fc.tuple(fc.constantFrom(...OPERATIONS), tie('expr')).map(([op, arg]) => ({ [op]: arg })),
  ),
  // The shapes real rules have, so loops and branches run on data rather than fail at once.
  shaped: fc.oneof(
    fc
      .tuple(
        fc.constantFrom('map', 'filter', 'all', 'none', 'some'),
        fc.constantFrom({ var: 'xs' }, { var: 'lines' }, { var: 's' }, { var: 'n' }),
        tie('expr'),
      )
      .map(([op, list, each]) => ({ [op]: [list, each] })),
    fc
      .tuple(
        fc.constantFrom({ var: 'xs' }, { var: 'lines' }, { var: 'missing' }),
        fc.constantFrom('+', '*', 'cat', 'merge', 'max', '-'),
        fc.constantFrom({ var: 'current' }, { var: 'current.qty' }, { var: 'current.sku' }),
        fc.option(tie('expr'), { nil: undefined }),
      )
      .map(([list, op, current, initial]) => ({
        reduce: [
          list,
          { [op]: [{ var: 'accumulator' }, current] },
          ...(initial === undefined ? [] : [initial]),
        ],
      })),
    // Comparisons and arithmetic on numbers, numeric texts and references, one to four operands.
    fc
      .tuple(
        fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '+', '-', '*', '/', '%', 'min', 'max'),
        fc.array(
          fc.oneof(
            fc.integer({ min: -3, max: 6 }),
            fc.constantFrom('2', '4.5', '', null, true),
            fc.constantFrom({ var: 'a' }, { var: 'n' }, { var: 'b' }, { var: 'xs.1' }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      )
      .map(([op, args]) => ({ [op]: args })),
    fc
      .array(tie('expr'), { maxLength: 6 })
      .chain((args) => fc.constantFrom('if', '?:', 'and', 'or').map((op) => ({ [op]: args }))),
    fc
      .tuple(tie('expr'), fc.constantFrom({ var: 'xs' }, { var: 's' }, { var: 'o' }, ['a', 1]))
      .map(([needle, list]) => ({ in: [needle, list] })),
    // References with fallbacks (and extra arguments, evaluated and ignored).
    fc
      .tuple(fc.constantFrom(...PATHS), fc.array(tie('expr'), { maxLength: 3 }))
      .map(([p, rest]) => ({ var: [p, ...rest] })),
    // Hundreds of operations, so the clock is read (every 256) and a passed deadline stops it.
    fc
      .tuple(fc.integer({ min: 0, max: 300 }), tie('expr'))
      .map(([n, each]) => ({ map: [{ merge: Array.from({ length: n }, (_, i) => i) }, each] })),
    fc
      .tuple(fc.constantFrom('lookup', 'get'), tie('expr'), tie('expr'))
      .map(([op, a, b]) => (op === 'lookup' ? { lookup: ['t', a, b] } : { get: [a, 'a', b] })),
  ),
}));

const fixedData = {
  a: 1,
  b: '2',
  s: 'hello',
  n: 7,
  xs: [1, 2, 3, '4', null],
  lines: [
    { sku: 'A', qty: 2 },
    { sku: 'B', qty: '5' },
  ],
  // `in` on an object whose `indexOf` is not a function fails inside json-logic.
  o: { indexOf: 3 },
  deep: { a: { b: [true, false] } },
  current: 1,
  accumulator: 'acc',
};
const data = fc.oneof(
  fc.constant(fixedData as JsonValue),
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ xs: fc.array(scalar, { maxLength: 6 }), s: fc.string(), n: scalar }),
);

const budget: fc.Arbitrary<Partial<ExpressionBudget> | undefined> = fc.oneof(
  fc.constant(undefined),
  // Only a deadline, already passed: the defaults otherwise.
  fc.constant({ deadline: 0 }),
  fc.record(
    {
      maxOperations: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constant(100_000)),
      maxTextLength: fc.integer({ min: 0, max: 40 }),
      maxItems: fc.integer({ min: 0, max: 12 }),
      maxAllocation: fc.integer({ min: 0, max: 80 }),
      maxDepth: fc.integer({ min: 0, max: 12 }),
      // A deadline already passed stops at the first clock check, the same in both.
      deadline: fc.constantFrom(0, Number.MAX_SAFE_INTEGER),
    },
    { requiredKeys: [] },
  ),
);

type Outcome =
  | { value: JsonValue }
  | { code: unknown; message: string; details: unknown; cause: unknown };

function outcome(run: () => JsonValue): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    const e = error as { code?: unknown; message: string; details?: unknown; cause?: unknown };
    const cause = e.cause instanceof Error ? [e.cause.name, e.cause.message] : e.cause;
    return { code: e.code, message: e.message, details: e.details, cause };
  }
}

function same(rule: unknown, input: unknown, limits: Partial<ExpressionBudget> | undefined) {
  const options = { tables: TABLES, now: NOW, ...(limits ? { budget: limits } : {}) };
  const reference = outcome(() => evaluateInterpreted(rule, input, options));
  // Twice: the first call compiles, the second runs what was kept.
  expect(outcome(() => evaluate(rule, input, options))).toEqual(reference);
  expect(outcome(() => evaluate(rule, input, options))).toEqual(reference);
  return reference;
}

describe('the compiled evaluator', () => {
  it.each(EXPRESSION_CASES)('agrees with json-logic on %j over %j', (rule, input) => {
    same(rule, input, undefined);
  });

  it('agrees with json-logic on random rules, data and budgets, errors included', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(expr, data, budget, (rule, input, limits) => {
        const result = same(rule, input, limits);
        const kind =
          'value' in result
            ? 'value'
            : result.code === 'expression-budget'
              ? `budget:${(result.details as { limit: string }).limit}`
              : String(result.code);
        seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }),
      { numRuns: 10_000, seed: 19 },
    );
    // Not vacuous: values, failures and every budget limit were reached.
    for (const kind of [
      'value',
      'expression-failed',
      'budget:operations',
      'budget:depth',
      'budget:items',
      'budget:text',
      'budget:allocation',
      'budget:time',
    ]) {
      expect(seen.get(kind), kind).toBeGreaterThan(0);
    }
  });

  it('fails as json-logic does on an `indexOf` that is not a function, in its words', () => {
    const result = same({ in: ['x', { var: 'o' }] }, { o: { indexOf: 3 } }, undefined);
    expect(result).toMatchObject({ code: 'expression-failed' });
    expect((result as { message: string }).message).toMatch(/is not a function/);
  });

  it('agrees on the documented example of every Crossdock operation', () => {
    for (const op of CROSSDOCK_OPERATIONS) {
      same(op.example.rule, op.example.data, undefined);
    }
  });
});
