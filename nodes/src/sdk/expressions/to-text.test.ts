import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expressionToText } from './to-text';

describe('expressionToText', () => {
  it.each([
    [{ '>': [{ var: 'weightKg' }, 30] }, 'weightKg > 30'],
    [
      { and: [{ '==': [{ var: 'status' }, 'RELEASED'] }, { '!!': [{ var: 'lines' }] }] },
      '(status = "RELEASED") and lines is set',
    ],
    [{ if: [{ '<': [{ var: 'n' }, 0] }, 'neg', 'pos'] }, 'if (n < 0) then "neg" else "pos"'],
    [{ lookup: ['uom', { var: 'unit' }, 'EA'] }, 'lookup("uom", unit, "EA")'],
    [{ var: ['a', 1] }, 'a ?? 1'],
    [{ var: '' }, 'message'],
    [{ '<=': [0, { var: 'x' }, 10] }, '0 ≤ x ≤ 10'],
    ['text', '"text"'],
  ])('%j reads %s', (expression, text) => {
    expect(expressionToText(expression)).toBe(text);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typeof expressionToText(value)).toBe('string');
      }),
    );
  });
});
