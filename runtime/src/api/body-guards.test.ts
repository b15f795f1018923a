import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsDepth } from './body-guards';

/** Depth as the JSON nesting of arrays and objects (a scalar is 0). */
function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depth));
}

describe('exceedsDepth', () => {
  it('agrees with a recursive depth on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 14 }), (v, max) => {
        expect(exceedsDepth(v, max)).toBe(depth(v) > max);
      }),
    );
  });

  it('handles 100,000 levels without a stack overflow', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(exceedsDepth(deep, 64)).toBe(true);
    expect(exceedsDepth({ a: [1, { b: null }] }, 3)).toBe(false);
    expect(exceedsDepth({ a: [1, { b: [] }] }, 3)).toBe(true);
  });
});
