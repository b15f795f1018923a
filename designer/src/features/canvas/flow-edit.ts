import {
  type Catalog,
  type FlowDocument,
  type FlowEdge,
  type FlowNode,
  isJsonObject,
  type JsonObject,
  type NodeManifest,
  outputPorts,
  type Position,
} from '@crossdock/nodes';
import { uniqueId } from '../../lib/ids';

/** Pure edits of a flow document; each returns a new document and never mutates its input. */

export type Verdict = { ok: true } | { ok: false; reason: string };

export function nodeIds(doc: FlowDocument): Set<string> {
  return new Set(doc.nodes.map((n) => n.id));
}

function hasTrigger(doc: FlowDocument, catalog: Catalog): FlowNode | undefined {
  return doc.nodes.find((n) => catalog.get(n.type)?.category === 'trigger');
}

/** `title`, or `title 2`, `title 3`, ... when taken: names are what the analyst reads. */
export function uniqueName(title: string, taken: ReadonlySet<string>): string {
  if (!taken.has(title)) return title;
  for (let i = 2; ; i++) {
    const name = `${title} ${i}`;
    if (!taken.has(name)) return name;
  }
}

/** Whether a node of `type` may be added: it must exist, and a flow has one trigger at most. */
export function canAddNode(doc: FlowDocument, catalog: Catalog, type: string): Verdict {
  const manifest = catalog.get(type);
  if (!manifest) return { ok: false, reason: `Unknown node type "${type}".` };
  const trigger = manifest.category === 'trigger' ? hasTrigger(doc, catalog) : undefined;
  if (trigger) {
    return {
      ok: false,
      reason: `A flow has one trigger; "${trigger.name}" is already there.`,
    };
  }
  return { ok: true };
}

/** Adds a node of `type` with the manifest's defaults; returns the document and the new id. */
export function addNode(
  doc: FlowDocument,
  catalog: Catalog,
  type: string,
  position: Position,
): { doc: FlowDocument; id: string } | { doc: FlowDocument; error: string } {
  const verdict = canAddNode(doc, catalog, type);
  if (!verdict.ok) return { doc, error: verdict.reason };
  const manifest = catalog.get(type);
  if (!manifest) return { doc, error: `Unknown node type "${type}".` };
  const taken = nodeIds(doc);
  const id = uniqueId(`n-${type.split('.').pop() ?? 'node'}`, taken);
  const node: FlowNode = {
    id,
    type,
    name: uniqueName(manifest.title, new Set(doc.nodes.map((n) => n.name))),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: startingConfig(manifest),
  };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/**
 * A new node's config: the manifest's defaults without the parts an analyst must decide (the
 * connection, every expression, list items holding expressions such as a switch's sample case),
 * so that a new node is invalid until it is configured instead of quietly always true.
 */
export function startingConfig(manifest: NodeManifest): JsonObject {
  const config = structuredClone(manifest.defaults) as JsonObject;
  const props = isJsonObject(manifest.configSchema.properties)
    ? manifest.configSchema.properties
    : {};
  for (const key of Object.keys(config)) {
    const prop = props[key];
    if (!isJsonObject(prop)) continue;
    const items = prop.items;
    const itemProps = isJsonObject(items) && isJsonObject(items.properties) ? items.properties : {};
    const holdsExpressions = Object.values(itemProps).some(
      (p) => isJsonObject(p) && p['x-expression'] === true,
    );
    if (key === 'connection' || prop['x-expression'] === true) delete config[key];
    else if (prop.type === 'array' && holdsExpressions) config[key] = [];
  }
  return config;
}

export interface ConnectionRequest {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** The connection rules of the canvas: real ports only, no duplicates, no loops unless allowed. */
export function canConnect(doc: FlowDocument, catalog: Catalog, c: ConnectionRequest): Verdict {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return { ok: false, reason: 'Both ends must be nodes of this flow.' };
  const sm = catalog.get(source.type);
  const tm = catalog.get(target.type);
  if (!sm || !tm) return { ok: false, reason: 'Unknown node type.' };
  if (!outputPorts(sm, source.config).some((p) => p.id === c.sourcePort)) {
    return { ok: false, reason: `"${source.name}" has no output "${c.sourcePort}".` };
  }
  if (!tm.inputs.some((p) => p.id === c.targetPort)) {
    return { ok: false, reason: `"${target.name}" has no input "${c.targetPort}".` };
  }
  if (c.source === c.target && !sm.mayLoop) {
    return { ok: false, reason: 'A node cannot feed itself.' };
  }
  const duplicate = doc.edges.some(
    (e) =>
      e.source === c.source &&
      e.sourcePort === c.sourcePort &&
      e.target === c.target &&
      e.targetPort === c.targetPort,
  );
  if (duplicate) return { ok: false, reason: 'These ports are already connected.' };
  return { ok: true };
}

export function connect(
  doc: FlowDocument,
  catalog: Catalog,
  c: ConnectionRequest,
): { doc: FlowDocument; error?: string } {
  const verdict = canConnect(doc, catalog, c);
  if (!verdict.ok) return { doc, error: verdict.reason };
  const id = uniqueId(`e-${c.source}-${c.target}`, new Set(doc.edges.map((e) => e.id)));
  const edge: FlowEdge = { id, ...c };
  return { doc: { ...doc, edges: [...doc.edges, edge] } };
}

/**
 * Adds a node of `type` after an output port and wires that port to the new node's first input,
 * as one edit: the "+" on a port, or a wire dropped on empty canvas.
 */
export function addConnectedNode(
  doc: FlowDocument,
  catalog: Catalog,
  type: string,
  from: { nodeId: string; port: string },
  position: Position,
): { doc: FlowDocument; id: string } | { doc: FlowDocument; error: string } {
  const input = catalog.get(type)?.inputs[0];
  if (!input) return { doc, error: `A ${catalog.get(type)?.title ?? type} node takes no input.` };
  const added = addNode(doc, catalog, type, position);
  if (!('id' in added)) return added;
  const wired = connect(added.doc, catalog, {
    source: from.nodeId,
    sourcePort: from.port,
    target: added.id,
    targetPort: input.id,
  });
  if (wired.error) return { doc, error: wired.error };
  return { doc: wired.doc, id: added.id };
}

/** Removes nodes and edges by id; edges touching a removed node go too. */
export function removeElements(
  doc: FlowDocument,
  nodes: ReadonlySet<string>,
  edges: ReadonlySet<string>,
): FlowDocument {
  if (nodes.size === 0 && edges.size === 0) return doc;
  const keptNodes = doc.nodes.filter((n) => !nodes.has(n.id));
  const keptEdges = doc.edges.filter(
    (e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target),
  );
  if (keptNodes.length === doc.nodes.length && keptEdges.length === doc.edges.length) return doc;
  return { ...doc, nodes: keptNodes, edges: keptEdges };
}

/** Replaces one node through `update`; the same document when nothing changed. */
export function updateNode(
  doc: FlowDocument,
  id: string,
  update: (node: FlowNode) => FlowNode,
): FlowDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = update(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}
