import type { FlowDocument } from '@crossdock/nodes';
import { Graph, layout } from '@dagrejs/dagre';

/** Card size used for layout when the canvas has not measured a node yet. */
export const DEFAULT_NODE_SIZE = { width: 240, height: 96 };

/**
 * Left-to-right layered layout (dagre): triggers on the left, every edge pointing right. Returns a
 * new document with integer positions; nodes keep their ids, config and order.
 */
export function autoLayout(
  doc: FlowDocument,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): FlowDocument {
  if (doc.nodes.length === 0) return doc;
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) {
    const size = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  for (const e of doc.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  }
  layout(g);
  const nodes = doc.nodes.map((n) => {
    const laid = g.node(n.id);
    const size = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
    if (!laid || typeof laid.x !== 'number' || typeof laid.y !== 'number') return n;
    return {
      ...n,
      position: { x: Math.round(laid.x - size.width / 2), y: Math.round(laid.y - size.height / 2) },
    };
  });
  return { ...doc, nodes };
}
