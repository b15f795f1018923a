import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_EXPRESSION_BUDGET } from './budget';
import { EXPRESSION_CASES } from './cases';
import { checkExpression, MAX_EXPRESSION_DEPTH } from './check';
import { evaluate } from './evaluate';
import { CROSSDOCK_OPERATIONS } from './operations';

describe('evaluate', () => {
  it.each(EXPRESSION_CASES)('%j on %j gives %j', (rule, data, expected) => {
    expect(evaluate(rule, data)).toEqual(expected);
  });

  it.each(CROSSDOCK_OPERATIONS.map((op) => [op.name, op.example] as const))(
    'documented example of %s holds',
    (_name, example) => {
      const tables = { carriers: { UPSN: 'UPS' } };
      const now = new Date('2026-11-27T10:00:00Z');
      expect(evaluate(example.rule, example.data, { tables, now })).toEqual(example.result);
    },
  );

  it('refuses unknown operations before running anything', () => {
    expect(() => evaluate({ method: [{ var: '' }, 'toString'] }, {})).toThrow(
      /Unknown operation "method"/,
    );
    expect(() => evaluate({ log: 'x' }, {})).toThrow(/Unknown operation "log"/);
  });

  it('refuses a literal path into the prototype before running', () => {
    expect(checkExpression({ var: 'a.__proto__' })[0]?.code).toBe('expression.invalid');
    expect(() => evaluate({ var: 'constructor' }, {})).toThrow(/prototype/);
  });

  it('throws a permanent, classified error', () => {
    try {
      evaluate({ nope: 1 }, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        name: 'PermanentError',
        code: 'expression-failed',
        errorClass: 'permanent',
      });
    }
  });

  it('bounds depth', () => {
    let rule: unknown = { var: 'a' };
    for (let i = 0; i <= MAX_EXPRESSION_DEPTH; i++) rule = { '!': [rule] };
    expect(checkExpression(rule)[0]?.message).toMatch(/nested too deeply/);
    expect(() => evaluate(rule, {})).toThrow(/nested too deeply/);
  });

  it('bounds size', () => {
    const rule = { and: Array.from({ length: 6000 }, () => true) };
    expect(checkExpression(rule)[0]?.message).toMatch(/too large/);
  });

  it('never reads or writes the prototype, whatever the rule', () => {
    const ops = ['var', 'get', 'object', 'lookup', 'cat', 'merge', 'missing'];
    fc.assert(
      fc.property(
        fc.constantFrom(...ops),
        fc.array(
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'prototype', 'a.__proto__', 'toString'),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          { maxLength: 3 },
        ),
        fc.jsonValue({ maxDepth: 3 }),
        (op, args, data) => {
          try {
            const result = evaluate({ [op]: args }, data);
            expect(typeof result).not.toBe('function');
          } catch (error) {
            expect(error).toMatchObject({ name: 'PermanentError' });
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('keys a payload hands to missing and missing_some', () => {
  it('never reach console.log, whatever the payload puts there', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const hostile = { x: [{ log: 'from the payload' }] };
      for (const rule of [{ missing_some: [1, { var: 'x' }] }, { missing: { var: 'x' } }]) {
        try {
          evaluate(rule, hostile);
        } catch (error) {
          expect(error).toMatchObject({ code: 'expression-failed' });
        }
      }
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});

describe('a plain reference', () => {
  it('answers as json-logic does (its array form takes the general path)', () => {
    const data = {
      a: { b: [10, { c: 'x' }], n: null, z: 0, f: false },
      list: [1, 2],
      'dotted.key': 1,
    };
    const paths = [
      'a.b',
      'a.b.0',
      'a.b.1.c',
      'a.b.2',
      'a.b.x',
      'a.n',
      'a.z',
      'a.f',
      'missing',
      'missing.deeper',
      'list.-1',
      'a.b.length',
      'dotted.key',
    ];
    for (const path of paths) {
      expect({ path, value: evaluate({ var: path }, data) }).toEqual({
        path,
        value: evaluate({ var: [path] }, data),
      });
    }
    expect(evaluate({ var: 'a' }, 'text')).toBeNull();
    expect(() => evaluate({ var: 'a.constructor' }, data)).toThrow(/prototype/);
  });

  it('keeps a budget that allows no operation at all', () => {
    expect(() =>
      evaluate(
        { var: 'a' },
        { a: 1 },
        { budget: { ...DEFAULT_EXPRESSION_BUDGET, maxOperations: 0 } },
      ),
    ).toThrow(expect.objectContaining({ code: 'expression-budget' }));
  });
});

describe('evaluate under a budget', () => {
  const small = {
    maxOperations: 10_000,
    maxTextLength: 100,
    maxItems: 10,
    maxAllocation: 200,
    maxDepth: 100,
  };
  const nine = { merge: [1, 2, 3, 4, 5, 6, 7, 8, 9] };
  const cases: [string, unknown, object][] = [
    ['operations', { map: [nine, { '+': Array(6).fill({ '+': [1, 1] }) }] }, { maxOperations: 50 }],
    ['text', { cat: [{ pad_start: ['', 90, 'y'] }, { pad_start: ['', 90, 'z'] }] }, {}],
    [
      'items',
      {
        merge: [
          [1, 2, 3, 4, 5, 6],
          [7, 8, 9, 10, 11],
        ],
      },
      {},
    ],
    ['allocation', { map: [nine, { pad_start: ['', 60, 'y'] }] }, {}],
    ['depth', { reduce: [nine, [{ var: 'accumulator' }], null] }, { maxDepth: 5 }],
  ];

  it.each(cases)(
    'stops at its %s limit with a permanent expression-budget error',
    (limit, rule, extra) => {
      try {
        evaluate(rule, null, { budget: { ...small, ...extra } });
        expect.unreachable();
      } catch (error) {
        expect(error).toMatchObject({
          name: 'PermanentError',
          code: 'expression-budget',
          retryable: false,
          details: { limit },
        });
      }
    },
  );

  it('stops at its deadline', () => {
    const rule = { map: [{ merge: Array.from({ length: 500 }, (_, i) => i) }, { '+': [1, 1] }] };
    expect(() => evaluate(rule, null, { budget: { deadline: Date.now() - 1 } })).toThrow(
      /ran past the node timeout/,
    );
  });

  it('lets ordinary rules through the default budget', () => {
    expect(
      evaluate({ join: [{ map: [{ var: 'l' }, { upper: { var: '' } }] }, ','] }, { l: ['a', 'b'] }),
    ).toBe('A,B');
  });
});
