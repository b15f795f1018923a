import type { FlowChange } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { markStyles, nodeMarks } from './version-marks';

describe('marking a version diff on the canvas', () => {
  it('marks added nodes and changed ones, never removed or moved ones', () => {
    const changes: FlowChange[] = [
      { kind: 'node-added', nodeId: 'new', name: 'New', type: 'mapping.map' },
      { kind: 'node-removed', nodeId: 'gone', name: 'Gone', type: 'mapping.map' },
      { kind: 'node-moved', nodeId: 'moved', name: 'Moved' },
      {
        kind: 'config',
        nodeId: 'rule',
        name: 'Rule',
        field: 'condition',
        before: 1,
        after: 2,
        expression: true,
      },
      { kind: 'node-renamed', nodeId: 'new', before: 'a', after: 'b' },
    ];
    expect([...nodeMarks(changes)]).toEqual([
      ['new', 'added'],
      ['rule', 'changed'],
    ]);
    const css = markStyles(nodeMarks(changes), (id) => id.replace(/"/g, '\\"'));
    expect(css).toContain('[data-id="rule"]');
    expect(css).not.toContain('gone');
  });
});
