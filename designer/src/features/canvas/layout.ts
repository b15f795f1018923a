import type { FlowDocument } from '@crossdock/nodes';
import { Graph, layout } from '@dagrejs/dagre';
import { CARD_SIZE } from './card-size';

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
    const size = sizes.get(n.id) ?? CARD_SIZE;
    g.setNode(n.id, { width: size.width, height: size.height });
  }
  for (const e of doc.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  }
  layout(g);
  const nodes = doc.nodes.map((n) => {
    const laid = g.node(n.id);
    const size = sizes.get(n.id) ?? CARD_SIZE;
    if (!laid || typeof laid.x !== 'number' || typeof laid.y !== 'number') return n;
    return {
      ...n,
      position: { x: Math.round(laid.x - size.width / 2), y: Math.round(laid.y - size.height / 2) },
    };
  });
  return { ...doc, nodes };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The margins a framed flow keeps free: the zoom controls on the left, the minimap on the right. */
export const FRAME_MARGINS = { top: 40, right: 200, bottom: 40, left: 70 };

/** Below this zoom the cards cannot be read; a wider flow starts at its left end instead. */
export const READABLE_ZOOM = 0.6;

/** The box around every node, from its position and (measured or default) size. */
export function flowBounds(
  doc: FlowDocument,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): Box | null {
  if (doc.nodes.length === 0) return null;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const n of doc.nodes) {
    const size = sizes.get(n.id) ?? CARD_SIZE;
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + size.width);
    maxY = Math.max(maxY, n.position.y + size.height);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/**
 * The viewport that shows a laid-out flow: all of it when that is readable (never past 100%),
 * otherwise at a readable zoom from its left end (the trigger), the rest a pan or the minimap away.
 */
export function frameFlow(
  bounds: Box,
  pane: { width: number; height: number },
  margins = FRAME_MARGINS,
): { x: number; y: number; zoom: number } {
  const room = {
    width: Math.max(1, pane.width - margins.left - margins.right),
    height: Math.max(1, pane.height - margins.top - margins.bottom),
  };
  const fit = Math.min(1, room.width / bounds.width, room.height / bounds.height);
  const zoom = Math.max(fit, READABLE_ZOOM);
  const wide = bounds.width * zoom > room.width;
  const tall = bounds.height * zoom > room.height;
  const x = wide
    ? margins.left - bounds.x * zoom
    : margins.left + (room.width - bounds.width * zoom) / 2 - bounds.x * zoom;
  const y = tall
    ? margins.top - bounds.y * zoom
    : margins.top + (room.height - bounds.height * zoom) / 2 - bounds.y * zoom;
  return { x: Math.round(x), y: Math.round(y), zoom };
}
