import type { FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { diffFlows, isEmptyDiff } from './flow-diff';

const base: FlowDocument = {
  schemaVersion: 1,
  id: 'f',
  name: 'F',
  version: '1.0.0',
  settings: { priority: 3 },
  nodes: [
    { id: 'a', type: 'trigger.manual', name: 'Start', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'b',
      type: 'rule.branch',
      name: 'Check',
      position: { x: 1, y: 0 },
      config: { condition: true },
    },
  ],
  edges: [{ id: 'e', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' }],
};

describe('diffFlows', () => {
  it('is empty for a move only', () => {
    const moved = { ...base, nodes: base.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })) };
    expect(isEmptyDiff(diffFlows(base, moved))).toBe(true);
  });

  it('lists added, removed and changed nodes, edges, settings and metadata', () => {
    const after: FlowDocument = {
      ...base,
      version: '1.1.0',
      settings: { priority: 5 },
      nodes: [
        base.nodes[0] as FlowDocument['nodes'][number],
        {
          id: 'c',
          type: 'mapping.map',
          name: 'Map',
          position: { x: 0, y: 0 },
          config: { fields: [] },
        },
      ],
      edges: [{ id: 'e2', source: 'a', sourcePort: 'out', target: 'c', targetPort: 'in' }],
    };
    const d = diffFlows(base, after);
    expect(d.addedNodes).toEqual([{ id: 'c', name: 'Map' }]);
    expect(d.removedNodes).toEqual([{ id: 'b', name: 'Check' }]);
    expect(d.addedEdges).toEqual(['Start (out) → Map']);
    expect(d.removedEdges).toEqual(['Start (out) → Check']);
    expect(d.changedSettings).toEqual(['settings.priority']);
    expect(d.metadata).toEqual(['version']);
    const renamed = {
      ...base,
      nodes: base.nodes.map((n) =>
        n.id === 'b' ? { ...n, name: 'X', config: { condition: false } } : n,
      ),
    };
    expect(diffFlows(base, renamed).changedNodes).toEqual([
      { id: 'b', name: 'X', fields: ['name', 'config.condition'] },
    ]);
  });
});
