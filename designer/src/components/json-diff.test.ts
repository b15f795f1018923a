import { describe, expect, it } from 'vitest';
import { diffJson } from './json-diff';

describe('diffJson', () => {
  it('lists added, removed and changed leaves', () => {
    const d = diffJson({ a: 1, b: { c: 2 }, l: [1] }, { a: 2, b: {}, n: 'x', l: [1, 2] });
    expect(d).toEqual([
      { path: 'a', kind: 'changed', before: 1, after: 2 },
      { path: 'b', kind: 'added', after: {} },
      { path: 'b.c', kind: 'removed', before: 2 },
      { path: 'l[1]', kind: 'added', after: 2 },
      { path: 'n', kind: 'added', after: 'x' },
    ]);
    expect(diffJson({ a: [1] }, { a: [1] })).toEqual([]);
  });
});
