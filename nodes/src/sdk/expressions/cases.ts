import type { JsonValue } from '../json';

/** `[rule, data, expected]`: the shared case list every evaluator of Crossdock rules must pass. */
export const EXPRESSION_CASES: ReadonlyArray<
  [rule: JsonValue, data: JsonValue, expected: JsonValue]
> = [
  [{ var: 'a' }, { a: 1 }, 1],
  [{ var: 'a.b' }, { a: { b: 'x' } }, 'x'],
  [{ var: ['missing', 'fallback'] }, {}, 'fallback'],
  [{ var: 'lines.1.sku' }, { lines: [{ sku: 'A' }, { sku: 'B' }] }, 'B'],
  [{ var: '' }, { a: 1 }, { a: 1 }],
  [{ var: { cat: ['constr', 'uctor'] } }, {}, null],
  [{ var: { cat: ['a.', 'constructor'] } }, { a: {} }, null],
  [{ var: 'toString' }, {}, null],
  [{ var: 'a.length' }, { a: 'abc' }, null],
  [{ '>': [{ var: 'weightKg' }, 30] }, { weightKg: 31 }, true],
  [
    { and: [{ '==': [{ var: 's' }, 'RELEASED'] }, { '!!': [{ var: 'lines' }] }] },
    { s: 'RELEASED', lines: [] },
    false,
  ],
  [{ if: [{ '<': [{ var: 'n' }, 0] }, 'neg', 'pos'] }, { n: -2 }, 'neg'],
  [{ cat: ['SO-', { var: 'n' }] }, { n: 7 }, 'SO-7'],
  [{ missing: ['a', 'b'] }, { a: 1 }, ['b']],
  [{ map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] }, { xs: [1, 2] }, [2, 4]],
  [
    { reduce: [{ var: 'xs' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
    { xs: [1, 2, 3] },
    6,
  ],
  [{ in: ['DE', ['DE', 'FR']] }, null, true],
  [{ upper: { var: 'c' } }, { c: 'deham' }, 'DEHAM'],
  [{ lookup: ['t', 'k', 'none'] }, null, 'none'],
  [
    {
      object: [
        ['__proto__', 1],
        ['a', 2],
      ],
    },
    null,
    { a: 2 },
  ],
  [{ get: [{ var: '' }, 'a.__proto__'] }, { a: {} }, null],
  [{ coalesce: [null, '', 'x'] }, null, 'x'],
  [{ pad_start: [{ var: 'n' }, 4] }, { n: 7 }, '0007'],
  [{ to_number: 'abc' }, null, null],
  [{ round: [1.005, 2] }, null, 1.01],
];
