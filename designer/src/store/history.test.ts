import { describe, expect, it } from 'vitest';
import { createHistory, HISTORY_LIMIT, pushHistory, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes, and a new edit drops the redo branch', () => {
    let h = createHistory('a');
    h = pushHistory(h, 'b');
    h = pushHistory(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = redo(h);
    expect(h.present).toBe('c');
    h = undo(undo(h));
    h = pushHistory(h, 'd');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(undo(h))).toEqual(undo(h));
  });

  it('keeps a bounded past and ignores no-op edits', () => {
    let h = createHistory(0);
    for (let i = 1; i <= HISTORY_LIMIT + 10; i++) h = pushHistory(h, i);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(pushHistory(h, h.present)).toBe(h);
  });
});
