import { describe, expect, it } from 'vitest';
import type { CanvasEdge, CanvasNode } from './canvas-types';
import { windowNodes } from './windowing';

const node = (id: string, x: number): CanvasNode =>
  ({ id, type: 'flow', position: { x, y: 0 }, data: {} }) as CanvasNode;
const edge = (source: string, target: string): CanvasEdge => ({
  id: `${source}-${target}`,
  source,
  target,
});

describe('windowNodes', () => {
  it('hands over nodes near the viewport and remembers them', () => {
    const nodes = [node('a', 0), node('b', 900), node('c', 5000), node('d', 20000)];
    const edges = [edge('a', 'b'), edge('b', 'c'), edge('c', 'd')];
    const mounted = new Set<string>();
    const pane = { width: 1000, height: 800 };
    const first = windowNodes(nodes, edges, { x: 0, y: 0, zoom: 1 }, pane, mounted);
    expect(first.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(first.edges.map((e) => e.id)).toEqual(['a-b']);
    const panned = windowNodes(nodes, edges, { x: -5000, y: 0, zoom: 1 }, pane, mounted);
    expect(panned.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(panned.edges.map((e) => e.id)).toEqual(['a-b', 'b-c']);
  });
});
