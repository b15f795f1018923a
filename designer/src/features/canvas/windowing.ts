import type { Viewport } from '@xyflow/react';
import type { CanvasEdge, CanvasNode } from './canvas-types';
import { CARD_SIZE } from './card-size';

export interface PaneSize {
  width: number;
  height: number;
}

/**
 * The nodes worth handing to React Flow: those within one screen of the viewport, plus every node
 * handed over before. React Flow renders each new node once to measure its ports, so giving it a
 * thousand at once costs seconds; giving them as the analyst pans costs nothing noticeable.
 * `mounted` is the memory of what was handed over; it only grows.
 */
export function windowNodes(
  nodes: readonly CanvasNode[],
  edges: readonly CanvasEdge[],
  viewport: Viewport,
  pane: PaneSize,
  mounted: Set<string>,
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const w = pane.width / viewport.zoom;
  const h = pane.height / viewport.zoom;
  const left = -viewport.x / viewport.zoom - w;
  const top = -viewport.y / viewport.zoom - h;
  const right = left + 3 * w;
  const bottom = top + 3 * h;
  const out: CanvasNode[] = [];
  for (const n of nodes) {
    const inside =
      n.position.x + CARD_SIZE.width >= left &&
      n.position.x <= right &&
      n.position.y + CARD_SIZE.height >= top &&
      n.position.y <= bottom;
    if (inside) mounted.add(n.id);
    if (inside || mounted.has(n.id) || n.selected) out.push(n);
  }
  const ids = new Set(out.map((n) => n.id));
  return { nodes: out, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}
