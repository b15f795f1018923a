import type { Catalog, Diagnostic, FlowDocument, FlowNode } from '@crossdock/nodes';
import type { CanvasEdge, CanvasNode, NodeTrace } from './canvas-types';
import { toCanvas } from './to-canvas';

interface Entry {
  source: FlowNode;
  problems: string;
  trace: string;
  selected: boolean;
  width: number | undefined;
  height: number | undefined;
  node: CanvasNode;
}

export interface MapperInputs {
  catalog: Catalog;
  diagnostics: readonly Diagnostic[];
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  trace: ReadonlyMap<string, NodeTrace> | null;
  measured: ReadonlyMap<string, { width: number; height: number }>;
}

/**
 * `toCanvas` with memory: a canvas node whose inputs did not change keeps its identity, so React
 * Flow and the memoised card skip it. Editing one node of a thousand re-renders one card.
 */
export function createCanvasMapper() {
  const cache = new Map<string, Entry>();
  return (
    doc: FlowDocument,
    inputs: MapperInputs,
  ): { nodes: CanvasNode[]; edges: CanvasEdge[] } => {
    const problems = new Map<string, string>();
    for (const d of inputs.diagnostics) {
      if (d.nodeId === undefined) continue;
      problems.set(d.nodeId, `${problems.get(d.nodeId) ?? ''}${d.severity}:${d.message}\n`);
    }
    const fresh = toCanvas(doc, { ...inputs, trace: inputs.trace ?? undefined });
    const nodes = fresh.nodes.map((node, i) => {
      const source = doc.nodes[i] as FlowNode;
      const size = inputs.measured.get(node.id);
      const key = {
        source,
        problems: problems.get(node.id) ?? '',
        trace: JSON.stringify(inputs.trace?.get(node.id) ?? null),
        selected: node.selected ?? false,
        width: size?.width,
        height: size?.height,
      };
      const hit = cache.get(node.id);
      if (
        hit &&
        hit.source === key.source &&
        hit.problems === key.problems &&
        hit.trace === key.trace &&
        hit.selected === key.selected &&
        hit.width === key.width &&
        hit.height === key.height
      ) {
        return hit.node;
      }
      const out: CanvasNode = size ? { ...node, measured: size } : node;
      cache.set(node.id, { ...key, node: out });
      return out;
    });
    if (cache.size > nodes.length * 2) {
      const live = new Set(doc.nodes.map((n) => n.id));
      for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
    }
    return { nodes, edges: fresh.edges };
  };
}
