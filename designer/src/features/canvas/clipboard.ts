import type { FlowDocument, FlowEdge, FlowNode } from '@crossdock/nodes';
import { uniqueId } from '../../lib/ids';
import { uniqueName } from './flow-edit';

/** What copy puts on the clipboard: plain flow JSON, so it pastes into another flow or a file. */
export interface ClipboardContent {
  kind: 'crossdock/nodes';
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The selected nodes and the edges between them. */
export function copySelection(doc: FlowDocument, selected: ReadonlySet<string>): ClipboardContent {
  const nodes = doc.nodes.filter((n) => selected.has(n.id));
  const edges = doc.edges.filter((e) => selected.has(e.source) && selected.has(e.target));
  return { kind: 'crossdock/nodes', nodes: structuredClone(nodes), edges: structuredClone(edges) };
}

export function isClipboardContent(value: unknown): value is ClipboardContent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.kind === 'crossdock/nodes' && Array.isArray(v.nodes) && Array.isArray(v.edges);
}

/**
 * Pastes clipboard content with fresh ids and names, shifted by `offset`. Triggers are skipped
 * when the flow has one already (a flow has one trigger). Returns the new node ids.
 */
export function paste(
  doc: FlowDocument,
  content: ClipboardContent,
  offset: { x: number; y: number },
  isTrigger: (type: string) => boolean,
): { doc: FlowDocument; ids: string[] } {
  const takenIds = new Set(doc.nodes.map((n) => n.id));
  const takenNames = new Set(doc.nodes.map((n) => n.name));
  const takenEdges = new Set(doc.edges.map((e) => e.id));
  let hasTrigger = doc.nodes.some((n) => isTrigger(n.type));
  const idMap = new Map<string, string>();
  const nodes: FlowNode[] = [];
  for (const n of content.nodes) {
    if (isTrigger(n.type)) {
      if (hasTrigger) continue;
      hasTrigger = true;
    }
    const id = uniqueId(n.id, takenIds);
    takenIds.add(id);
    const name = uniqueName(n.name, takenNames);
    takenNames.add(name);
    idMap.set(n.id, id);
    nodes.push({
      ...structuredClone(n),
      id,
      name,
      position: {
        x: Math.round(n.position.x + offset.x),
        y: Math.round(n.position.y + offset.y),
      },
    });
  }
  const edges: FlowEdge[] = [];
  for (const e of content.edges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) continue;
    const id = uniqueId(`e-${source}-${target}`, takenEdges);
    takenEdges.add(id);
    edges.push({ ...e, id, source, target });
  }
  return {
    doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
    ids: nodes.map((n) => n.id),
  };
}
