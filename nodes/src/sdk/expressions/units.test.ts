import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { convertUnit, UNITS } from './units';

const codes = Object.keys(UNITS);
const sameDimensionPair = fc
  .constantFrom(...codes)
  .chain((from) =>
    fc.tuple(
      fc.constant(from),
      fc.constantFrom(...codes.filter((c) => UNITS[c]?.dimension === UNITS[from]?.dimension)),
    ),
  );

describe('convert_uom', () => {
  it.each([
    [1, 'LBR', 'KGM', 0.45359237],
    [16, 'ONZ', 'LBR', 1],
    [12, 'INH', 'FOT', 1],
    [1, 'FOT', 'CMT', 30.48],
    [1, 'FTQ', 'LTR', 28.316846592],
    [2500, 'GRM', 'KGM', 2.5],
    [1.5, 'TNE', 'KGM', 1500],
    [1, 'MTQ', 'CMQ', 1_000_000],
    [3, 'DZN', 'EA', 36],
    [5, 'H87', 'C62', 5],
  ])('%d %s is %d %s', (value, from, to, expected) => {
    expect(convertUnit(value, from, to)).toBeCloseTo(expected, 9);
  });

  it('refuses to convert across dimensions, naming both', () => {
    expect(() => convertUnit(1, 'KGM', 'MTR')).toThrow(
      'Cannot convert KGM (mass) to MTR (length): the units measure different things.',
    );
    expect(() => convertUnit(1, 'LTR', 'EA')).toThrow(/volume.*count/);
  });

  it('refuses unknown codes, including prototype names', () => {
    expect(() => convertUnit(1, 'CS', 'EA')).toThrow(/Unknown unit "CS"/);
    expect(() => convertUnit(1, 'KGM', 'constructor')).toThrow(/Unknown unit/);
  });

  it('fails as a classified expression error inside a rule; null passes through', () => {
    expect(() => evaluate({ convert_uom: [1, 'KGM', 'MTR'] }, null)).toThrow(
      expect.objectContaining({ name: 'PermanentError', code: 'expression-failed' }),
    );
    expect(evaluate({ convert_uom: [{ var: 'w' }, 'kgm', 'grm'] }, { w: '1.5' })).toBe(1500);
    expect(evaluate({ convert_uom: [{ var: 'missing' }, 'KGM', 'GRM'] }, {})).toBeNull();
  });

  it('round-trips within tolerance for every pair of units of a dimension', () => {
    fc.assert(
      fc.property(
        sameDimensionPair,
        fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
        ([from, to], value) => {
          const back = convertUnit(convertUnit(value, from, to), to, from);
          expect(Math.abs(back - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-9 + 1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is transitive: A to B to C equals A to C within tolerance', () => {
    fc.assert(
      fc.property(
        sameDimensionPair.chain(([a, b]) =>
          fc.tuple(
            fc.constant(a),
            fc.constant(b),
            fc.constantFrom(...codes.filter((c) => UNITS[c]?.dimension === UNITS[a]?.dimension)),
          ),
        ),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        ([a, b, c], value) => {
          const direct = convertUnit(value, a, c);
          const via = convertUnit(convertUnit(value, a, b), b, c);
          expect(Math.abs(via - direct)).toBeLessThanOrEqual(Math.abs(direct) * 1e-9 + 1e-9);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
