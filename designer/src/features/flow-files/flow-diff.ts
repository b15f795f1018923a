import type { FlowDocument, FlowNode, JsonValue } from '@crossdock/nodes';
import { isJsonObject } from '@crossdock/nodes';

/** A readable change list between two versions of a flow, for the save dialog. */
export interface FlowDiff {
  addedNodes: { id: string; name: string }[];
  removedNodes: { id: string; name: string }[];
  changedNodes: { id: string; name: string; fields: string[] }[];
  addedEdges: string[];
  removedEdges: string[];
  changedSettings: string[];
  metadata: string[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isJsonObject(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  }
  return v;
}

function changedKeys(
  a: Record<string, JsonValue | undefined>,
  b: Record<string, JsonValue | undefined>,
  prefix: string,
): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys]
    .filter((k) => !same(a[k], b[k]))
    .sort()
    .map((k) => `${prefix}${k}`);
}

function nodeChanges(before: FlowNode, after: FlowNode): string[] {
  const fields: string[] = [];
  if (before.name !== after.name) fields.push('name');
  if (before.type !== after.type) fields.push('type');
  fields.push(...changedKeys(before.config, after.config, 'config.'));
  if (!same(before.retry, after.retry)) fields.push('retry');
  if (before.timeoutMs !== after.timeoutMs) fields.push('timeoutMs');
  if (before.notes !== after.notes) fields.push('notes');
  return fields;
}

function edgeLabel(doc: FlowDocument, e: FlowDocument['edges'][number]): string {
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.name ?? id;
  return `${name(e.source)} (${e.sourcePort}) → ${name(e.target)}`;
}

/** Nodes and edges added and removed, changed config fields; moves alone are not changes. */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowDiff {
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const key = (e: FlowDocument['edges'][number]) =>
    `${e.source}\u0000${e.sourcePort}\u0000${e.target}\u0000${e.targetPort}`;
  const beforeEdges = new Set(before.edges.map(key));
  const afterEdges = new Set(after.edges.map(key));
  const metadata: string[] = [];
  for (const k of ['name', 'version', 'description'] as const) {
    if (before[k] !== after[k]) metadata.push(k);
  }
  return {
    addedNodes: after.nodes
      .filter((n) => !beforeNodes.has(n.id))
      .map((n) => ({ id: n.id, name: n.name })),
    removedNodes: before.nodes
      .filter((n) => !afterNodes.has(n.id))
      .map((n) => ({ id: n.id, name: n.name })),
    changedNodes: after.nodes.flatMap((n) => {
      const old = beforeNodes.get(n.id);
      const fields = old ? nodeChanges(old, n) : [];
      return fields.length > 0 ? [{ id: n.id, name: n.name, fields }] : [];
    }),
    addedEdges: after.edges.filter((e) => !beforeEdges.has(key(e))).map((e) => edgeLabel(after, e)),
    removedEdges: before.edges
      .filter((e) => !afterEdges.has(key(e)))
      .map((e) => edgeLabel(before, e)),
    changedSettings: changedKeys(
      before.settings as Record<string, JsonValue | undefined>,
      after.settings as Record<string, JsonValue | undefined>,
      'settings.',
    ),
    metadata,
  };
}

export function isEmptyDiff(d: FlowDiff): boolean {
  return Object.values(d).every((list) => list.length === 0);
}
