import { catalog, type FlowDocument, validateFlow } from '@crossdock/nodes';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addNode, connect } from './flow-edit';
import { withNodeNames } from './problems-panel';
import { applyCanvasChanges, toCanvas } from './to-canvas';

function sampleFlow(): FlowDocument {
  let doc: FlowDocument = {
    schemaVersion: 1,
    id: 'demo',
    name: 'Demo',
    version: '1.0.0',
    settings: {},
    nodes: [],
    edges: [],
  };
  const add = (type: string, x: number) => {
    const r = addNode(doc, catalog, type, { x, y: 0 });
    if (!('id' in r)) throw new Error(r.error);
    doc = r.doc;
    return r.id;
  };
  const t = add('trigger.manual', 0);
  const b = add('rule.branch', 300);
  const m = add('mapping.map', 600);
  const h = add('connector.http', 900);
  doc = connect(doc, catalog, { source: t, sourcePort: 'out', target: b, targetPort: 'in' }).doc;
  doc = connect(doc, catalog, { source: b, sourcePort: 'true', target: m, targetPort: 'in' }).doc;
  doc = connect(doc, catalog, { source: m, sourcePort: 'out', target: h, targetPort: 'in' }).doc;
  return doc;
}

describe('toCanvas', () => {
  it('maps nodes and edges with ports, names and JSON-only data', () => {
    const doc = sampleFlow();
    const { nodes, edges } = toCanvas(doc, { catalog });
    expect(nodes.map((n) => n.id)).toEqual(doc.nodes.map((n) => n.id));
    const branch = nodes.find((n) => n.data.nodeType === 'rule.branch');
    expect(branch?.data.outputs.map((p) => p.id)).toEqual(['true', 'false', 'error']);
    expect(branch?.ariaLabel).toBe('Node Branch');
    expect(edges[1]).toMatchObject({ sourceHandle: 'true', targetHandle: 'in' });
    for (const n of nodes) expect(JSON.parse(JSON.stringify(n.data))).toEqual(n.data);
  });

  it('draws diagnostics on their node and edge', () => {
    const doc = sampleFlow();
    const http = doc.nodes.find((n) => n.type === 'connector.http');
    if (!http) throw new Error('no http node');
    const broken = { ...doc, nodes: doc.nodes.map((n) => (n === http ? { ...n, config: {} } : n)) };
    const diagnostics = validateFlow(broken, catalog);
    const { nodes } = toCanvas(broken, { catalog, diagnostics });
    const card = nodes.find((n) => n.id === http.id);
    expect(card?.data.problemSeverity).toBe('error');
    expect(card?.data.problems.join(' ')).toMatch(/connection/);
  });

  it('shows the trace: status, attempts and the edge taken', () => {
    const doc = sampleFlow();
    const [t, b] = doc.nodes;
    if (!t || !b) throw new Error('missing nodes');
    const trace = new Map([
      [
        t.id,
        { status: 'succeeded' as const, attempts: 1, durationMs: 2, ports: ['out'], error: null },
      ],
      [
        b.id,
        { status: 'succeeded' as const, attempts: 1, durationMs: 1, ports: ['true'], error: null },
      ],
    ]);
    const { nodes, edges } = toCanvas(doc, { catalog, trace });
    expect(nodes[1]?.data.trace?.ports).toEqual(['true']);
    expect(edges[0]?.data?.taken).toBe(true);
    expect(edges[1]?.data?.taken).toBe(false);
  });
});

describe('applyCanvasChanges', () => {
  it('moves nodes to integer positions and keeps the same document for screen-only changes', () => {
    const doc = sampleFlow();
    const id = doc.nodes[0]?.id ?? '';
    const moved = applyCanvasChanges(doc, [
      { type: 'position', id, position: { x: 10.6, y: -3.2 } },
    ]);
    expect(moved.nodes[0]?.position).toEqual({ x: 11, y: -3 });
    const same = applyCanvasChanges(doc, [
      { type: 'select', id, selected: true },
      { type: 'dimensions', id, dimensions: { width: 10, height: 10 } },
    ]);
    expect(same).toBe(doc);
  });

  it('removes a node with its edges, and an edge alone', () => {
    const doc = sampleFlow();
    const branch = doc.nodes[1]?.id ?? '';
    const without = applyCanvasChanges(doc, [{ type: 'remove', id: branch }]);
    expect(without.nodes).toHaveLength(3);
    expect(without.edges).toHaveLength(1);
    const edge = doc.edges[2]?.id ?? '';
    expect(applyCanvasChanges(doc, [{ type: 'remove', id: edge }]).edges).toHaveLength(2);
  });

  it('keeps a structurally valid document under any position and remove changes', () => {
    const doc = sampleFlow();
    const ids = [...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), 'ghost'];
    const change = fc.oneof(
      fc.record({
        type: fc.constant('position' as const),
        id: fc.constantFrom(...ids),
        position: fc.record({
          x: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          y: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        }),
      }),
      fc.record({ type: fc.constant('remove' as const), id: fc.constantFrom(...ids) }),
    );
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
        const next = applyCanvasChanges(doc, changes as (NodeChange | EdgeChange)[]);
        const structural = validateFlow(next, catalog).filter((d) =>
          [
            'schema.invalid',
            'edge.missing-node',
            'edge.unknown-port',
            'node.duplicate-id',
          ].includes(d.code),
        );
        expect(structural).toEqual([]);
        for (const n of next.nodes) {
          expect(Number.isInteger(n.position.x) && Number.isInteger(n.position.y)).toBe(true);
        }
        const ids = new Set(next.nodes.map((n) => n.id));
        for (const e of next.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
      }),
    );
  });
});

describe('withNodeNames', () => {
  it('names nodes by their names in problem messages', () => {
    const names = new Map([['n-map', 'Map order lines']]);
    expect(withNodeNames('Node "n-map" cannot be reached.', names)).toBe(
      'Node “Map order lines” cannot be reached.',
    );
    expect(withNodeNames('Port "out" is unknown.', names)).toBe('Port "out" is unknown.');
  });
});
