import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
