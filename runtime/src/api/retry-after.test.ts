import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from './retry-after';

describe('retryAfterSeconds', () => {
  it('follows the drain rate', () => {
    // 200 waiting at a limit of 200, 20 starts/s: 1 + 20 to start before there is room.
    expect(retryAfterSeconds(200, 200, 20)).toBe(2);
    expect(retryAfterSeconds(200, 200, 1)).toBe(21);
    expect(retryAfterSeconds(331, 200, 50)).toBe(4);
  });

  it('says 30 s when nothing drains', () => {
    expect(retryAfterSeconds(10, 2, 0)).toBe(30);
  });

  it('is always between 1 and 300 seconds, and never shorter for a slower drain', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        (limit, over, rate) => {
          const s = retryAfterSeconds(limit + over, limit, rate);
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(300);
          expect(retryAfterSeconds(limit + over, limit, rate / 2)).toBeGreaterThanOrEqual(s);
        },
      ),
    );
  });
});
