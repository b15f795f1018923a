import { type ProcessDocument, type ProcessExpectation, validateProcess } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import {
  applyProcessEdit,
  diagnosticsAt,
  diagnosticsUnder,
  freshId,
  nextVersion,
} from './process-draft';

const doc: ProcessDocument = {
  schemaVersion: 1,
  id: 'o2c',
  name: 'Orders',
  version: '1.0.9',
  businessKey: 'order',
  milestones: [
    { id: 'a', name: 'A', on: [] },
    { id: 'b', name: 'B', on: [] },
  ],
  expectations: [],
  checks: [],
};

describe('process draft edits', () => {
  it('adds, updates, moves and removes without touching the original', () => {
    const added = applyProcessEdit(doc, {
      kind: 'add-expectation',
      expectation: {
        id: 'x',
        name: 'X',
        after: 'a',
        expect: 'b',
        within: 'soon',
        owner: 'desk',
        severity: 'low',
      },
    });
    expect(doc.expectations).toEqual([]);
    const bad = validateProcess(added);
    expect(diagnosticsAt(bad, ['expectations', 0, 'within']).map((d) => d.code)).toEqual([
      'process.duration',
    ]);
    expect(diagnosticsUnder(bad, ['expectations', 0]).length).toBeGreaterThan(0);
    const fixed = applyProcessEdit(added, {
      kind: 'update-expectation',
      index: 0,
      expectation: { ...(added.expectations[0] as ProcessExpectation), within: 'PT30M' },
    });
    expect(validateProcess(fixed)).toEqual([]);
    const moved = applyProcessEdit(fixed, { kind: 'move-milestone', index: 1, by: -1 });
    expect(moved.milestones.map((m) => m.id)).toEqual(['b', 'a']);
    expect(applyProcessEdit(moved, { kind: 'move-milestone', index: 0, by: -1 })).toBe(moved);
    const removed = applyProcessEdit(moved, { kind: 'remove-milestone', index: 0 });
    // The expectation now names a milestone that is gone: the validator says where.
    expect(
      diagnosticsAt(validateProcess(removed), ['expectations', 0, 'expect'])[0]?.message,
    ).toContain('no milestone "b"');
  });

  it('bumps the patch version and makes fresh ids', () => {
    expect(nextVersion('1.0.9')).toBe('1.0.10');
    expect(nextVersion('not-semver')).toBe('not-semver');
    expect(freshId('New expectation', ['new-expectation'])).toBe('new-expectation-2');
    expect(freshId('!!!', [])).toBe('item');
  });
});
