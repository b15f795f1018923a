import {
  type Catalog,
  type Diagnostic,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  isJsonObject,
  type JsonValue,
  outputPorts,
} from '@crossdock/nodes';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { CanvasEdge, CanvasNode, CanvasNodeData, NodeTrace } from './canvas-types';
import { CARD_SIZE } from './card-size';
import { removeElements } from './flow-edit';

export interface CanvasInputs {
  catalog: Catalog;
  diagnostics?: readonly Diagnostic[];
  selectedNodes?: ReadonlySet<string>;
  selectedEdges?: ReadonlySet<string>;
  trace?: ReadonlyMap<string, NodeTrace>;
}

const SUMMARY_LINES = 3;

function short(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  const keys = Object.keys(value);
  return keys.length === 0 ? '{}' : `${keys[0]} …`;
}

/** The few config values a card shows, in schema order: the analyst's "what does this do". */
export function summarize(node: FlowNode, catalog: Catalog): string[] {
  const manifest = catalog.get(node.type);
  const props =
    manifest && isJsonObject(manifest.configSchema.properties)
      ? Object.keys(manifest.configSchema.properties)
      : Object.keys(node.config);
  const lines: string[] = [];
  for (const key of props) {
    const value = node.config[key];
    if (value === undefined) continue;
    const text = short(value);
    lines.push(`${key}: ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`);
    if (lines.length === SUMMARY_LINES) break;
  }
  return lines;
}

function problemsByNode(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const map = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const id = d.nodeId;
    if (id === undefined) continue;
    const list = map.get(id);
    if (list) list.push(d);
    else map.set(id, [d]);
  }
  return map;
}

/** Card data for one node. */
export function nodeData(
  node: FlowNode,
  catalog: Catalog,
  problems: readonly Diagnostic[],
  trace: NodeTrace | null,
): CanvasNodeData {
  const manifest = catalog.get(node.type);
  const severity = problems.some((p) => p.severity === 'error')
    ? 'error'
    : problems.some((p) => p.severity === 'warning')
      ? 'warning'
      : null;
  return {
    nodeType: node.type,
    name: node.name,
    title: manifest?.title ?? node.type,
    category: manifest?.category ?? 'unknown',
    summary: summarize(node, catalog),
    inputs: (manifest?.inputs ?? []).map((p) => ({ id: p.id, label: p.label })),
    outputs: manifest
      ? outputPorts(manifest, node.config).map((p) => ({ id: p.id, label: p.label }))
      : [],
    problemSeverity: severity,
    problems: problems.map((p) => p.message),
    trace,
  };
}

function canvasEdge(
  edge: FlowEdge,
  byId: ReadonlyMap<string, FlowNode>,
  problem: string | null,
  selected: boolean,
  trace: ReadonlyMap<string, NodeTrace> | undefined,
): CanvasEdge {
  const source = byId.get(edge.source);
  const target = byId.get(edge.target);
  const taken =
    trace?.get(edge.source)?.ports.includes(edge.sourcePort) === true && trace.has(edge.target);
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: edge.sourcePort,
    targetHandle: edge.targetPort,
    selected,
    animated: taken,
    className: [problem ? 'edge--problem' : '', taken ? 'edge--taken' : '']
      .filter(Boolean)
      .join(' '),
    ariaLabel: `Edge from ${source?.name ?? edge.source} (${edge.sourcePort}) to ${target?.name ?? edge.target}`,
    data: { problem, taken },
  };
}

/**
 * Maps the flow document (plus diagnostics, selection and trace, all UI state) onto React Flow's
 * nodes and edges. The document holds none of React Flow's types; this is the only glue.
 */
export function toCanvas(
  doc: FlowDocument,
  inputs: CanvasInputs,
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const byNode = problemsByNode(inputs.diagnostics ?? []);
  const edgeProblems = new Map<string, string>();
  for (const d of inputs.diagnostics ?? []) {
    if (d.edgeId !== undefined) edgeProblems.set(d.edgeId, d.message);
  }
  const nodes = doc.nodes.map(
    (n): CanvasNode => ({
      id: n.id,
      type: 'flow',
      position: { x: n.position.x, y: n.position.y },
      // A size before measuring lets React Flow skip off-screen cards instead of rendering all.
      initialWidth: CARD_SIZE.width,
      initialHeight: CARD_SIZE.height,
      selected: inputs.selectedNodes?.has(n.id) ?? false,
      ariaLabel: `Node ${n.name}`,
      data: nodeData(n, inputs.catalog, byNode.get(n.id) ?? [], inputs.trace?.get(n.id) ?? null),
    }),
  );
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const edges = doc.edges.map((e) =>
    canvasEdge(
      e,
      byId,
      edgeProblems.get(e.id) ?? null,
      inputs.selectedEdges?.has(e.id) ?? false,
      inputs.trace,
    ),
  );
  return { nodes, edges };
}

/**
 * Applies React Flow's changes to the document: moves (rounded to integers, as files keep them)
 * and removals. Selection and measured sizes are screen state and leave the document untouched,
 * so the same document comes back when nothing in it changed.
 */
export function applyCanvasChanges(
  doc: FlowDocument,
  changes: readonly (NodeChange | EdgeChange)[],
): FlowDocument {
  const moves = new Map<string, { x: number; y: number }>();
  const removedNodes = new Set<string>();
  const removedEdges = new Set<string>();
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  for (const c of changes) {
    if (c.type === 'position' && c.position && Number.isFinite(c.position.x + c.position.y)) {
      moves.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
    } else if (c.type === 'remove') {
      if (nodeIds.has(c.id)) removedNodes.add(c.id);
      else removedEdges.add(c.id);
    }
  }
  let next = doc;
  if (moves.size > 0) {
    let changed = false;
    const nodes = doc.nodes.map((n) => {
      const p = moves.get(n.id);
      if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
      changed = true;
      return { ...n, position: p };
    });
    if (changed) next = { ...doc, nodes };
  }
  return removeElements(next, removedNodes, removedEdges);
}
