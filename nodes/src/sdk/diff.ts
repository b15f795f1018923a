import type { Catalog } from './catalog';
import { expressionToText } from './expressions/to-text';
import type { FlowDocument, FlowEdge, FlowNode } from './flow-types';
import { isJsonObject, type JsonValue } from './json';

interface EdgeEnds {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** One change between two versions of a flow, at the level an analyst thinks in. */
export type FlowChange =
  | { kind: 'flow'; field: string; before: JsonValue | undefined; after: JsonValue | undefined }
  | {
      kind: 'setting';
      field: string;
      before: JsonValue | undefined;
      after: JsonValue | undefined;
      expression: boolean;
    }
  | { kind: 'node-added'; nodeId: string; name: string; type: string }
  | { kind: 'node-removed'; nodeId: string; name: string; type: string }
  | { kind: 'node-renamed'; nodeId: string; before: string; after: string }
  | { kind: 'node-type-changed'; nodeId: string; name: string; before: string; after: string }
  | { kind: 'node-moved'; nodeId: string; name: string }
  | {
      kind: 'config';
      nodeId: string;
      name: string;
      /** Readable path inside the config, e.g. `fields[target=shipTo.country].expression`. */
      field: string;
      before: JsonValue | undefined;
      after: JsonValue | undefined;
      expression: boolean;
    }
  | {
      kind: 'node-setting';
      nodeId: string;
      name: string;
      field: 'retry' | 'timeoutMs' | 'notes';
      before: JsonValue | undefined;
      after: JsonValue | undefined;
    }
  | { kind: 'edge-added'; edgeId: string; ends: EdgeEnds }
  | { kind: 'edge-removed'; edgeId: string; ends: EdgeEnds }
  | { kind: 'edge-rerouted'; edgeId: string; before: EdgeEnds; after: EdgeEnds };

export interface DiffOptions {
  /** Lets the diff recognise expression fields (shown as rules, not raw JSON). */
  catalog?: Catalog;
  /** Report moved nodes too; off by default, since moving is layout, not behaviour. */
  includeMoves?: boolean;
}

const ARRAY_KEYS = ['id', 'port', 'target', 'name'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The key that identifies items of an array of objects, when every item has a distinct one. */
function arrayKey(a: unknown[], b: unknown[]): string | undefined {
  const items = [...a, ...b];
  if (items.length === 0 || !items.every(isJsonObject)) return undefined;
  for (const key of ARRAY_KEYS) {
    const ok = [a, b].every((list) => {
      const values = list.map((i) => (isJsonObject(i) ? i[key] : undefined));
      return values.every((v) => typeof v === 'string') && new Set(values).size === values.length;
    });
    if (ok) return key;
  }
  return undefined;
}

function child(schema: unknown, key: string | undefined, isItem: boolean): unknown {
  if (!isJsonObject(schema)) return undefined;
  if (isItem) return schema.items;
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  return key !== undefined && Object.hasOwn(props, key) ? props[key] : schema.additionalProperties;
}

type Leaf = {
  field: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  expression: boolean;
};

function diffValue(
  schema: unknown,
  a: JsonValue | undefined,
  b: JsonValue | undefined,
  field: string,
  out: Leaf[],
): void {
  if (same(a, b)) return;
  const expression = isJsonObject(schema) && schema['x-expression'] === true;
  if (!expression && isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys)
      diffValue(child(schema, k, false), a[k], b[k], field ? `${field}.${k}` : k, out);
    return;
  }
  if (!expression && Array.isArray(a) && Array.isArray(b)) {
    const key = arrayKey(a, b);
    const itemSchema = child(schema, undefined, true);
    if (key) {
      const index = (list: JsonValue[]) =>
        new Map(list.map((i) => [(i as Record<string, JsonValue>)[key] as string, i]));
      const ia = index(a);
      const ib = index(b);
      for (const id of new Set([...ia.keys(), ...ib.keys()]))
        diffValue(itemSchema, ia.get(id), ib.get(id), `${field}[${key}=${id}]`, out);
      return;
    }
    if (a.length === b.length) {
      a.forEach((item, i) => {
        diffValue(itemSchema, item, b[i], `${field}[${i}]`, out);
      });
      return;
    }
  }
  out.push({ field, before: a, after: b, expression });
}

function ends(e: FlowEdge): EdgeEnds {
  return { source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort };
}

/**
 * Compares two versions of a flow and lists what changed, node by node and field by field:
 * nodes matched by id (so a rename is a rename), mapping fields by target, cases by port.
 */
export function diffFlows(
  a: FlowDocument,
  b: FlowDocument,
  options: DiffOptions = {},
): FlowChange[] {
  const changes: FlowChange[] = [];
  for (const field of ['name', 'version', 'description'] as const) {
    if (a[field] !== b[field])
      changes.push({ kind: 'flow', field, before: a[field], after: b[field] });
  }
  const settings: Leaf[] = [];
  const settingsSchema = {
    properties: {
      idempotencyKey: { 'x-expression': true },
      orderingKey: { 'x-expression': true },
      businessKeys: { additionalProperties: { 'x-expression': true } },
    },
  };
  diffValue(settingsSchema, a.settings as JsonValue, b.settings as JsonValue, '', settings);
  for (const s of settings) changes.push({ kind: 'setting', ...s });

  const nodesA = new Map(a.nodes.map((n) => [n.id, n]));
  const nodesB = new Map(b.nodes.map((n) => [n.id, n]));
  for (const n of a.nodes) {
    if (!nodesB.has(n.id))
      changes.push({ kind: 'node-removed', nodeId: n.id, name: n.name, type: n.type });
  }
  for (const n of b.nodes) {
    const before = nodesA.get(n.id);
    if (!before) {
      changes.push({ kind: 'node-added', nodeId: n.id, name: n.name, type: n.type });
      continue;
    }
    diffNode(before, n, options, changes);
  }

  const edgesA = new Map(a.edges.map((e) => [e.id, e]));
  const edgesB = new Map(b.edges.map((e) => [e.id, e]));
  for (const e of a.edges)
    if (!edgesB.has(e.id)) changes.push({ kind: 'edge-removed', edgeId: e.id, ends: ends(e) });
  for (const e of b.edges) {
    const before = edgesA.get(e.id);
    if (!before) changes.push({ kind: 'edge-added', edgeId: e.id, ends: ends(e) });
    else if (!same(ends(before), ends(e)))
      changes.push({ kind: 'edge-rerouted', edgeId: e.id, before: ends(before), after: ends(e) });
  }
  return changes;
}

function diffNode(a: FlowNode, b: FlowNode, options: DiffOptions, changes: FlowChange[]): void {
  if (a.name !== b.name)
    changes.push({ kind: 'node-renamed', nodeId: b.id, before: a.name, after: b.name });
  if (a.type !== b.type)
    changes.push({
      kind: 'node-type-changed',
      nodeId: b.id,
      name: b.name,
      before: a.type,
      after: b.type,
    });
  if (options.includeMoves && !same(a.position, b.position))
    changes.push({ kind: 'node-moved', nodeId: b.id, name: b.name });
  const leaves: Leaf[] = [];
  diffValue(options.catalog?.get(b.type)?.configSchema, a.config, b.config, '', leaves);
  for (const leaf of leaves) changes.push({ kind: 'config', nodeId: b.id, name: b.name, ...leaf });
  for (const field of ['retry', 'timeoutMs', 'notes'] as const) {
    if (!same(a[field], b[field])) {
      changes.push({
        kind: 'node-setting',
        nodeId: b.id,
        name: b.name,
        field,
        before: a[field] as JsonValue | undefined,
        after: b[field] as JsonValue | undefined,
      });
    }
  }
}

function show(value: JsonValue | undefined, expression: boolean): string {
  if (value === undefined) return '(none)';
  return expression ? expressionToText(value) : JSON.stringify(value);
}

function retryText(value: JsonValue | undefined): string {
  if (!isJsonObject(value) || !isJsonObject(value.backoff)) return show(value, false);
  const b = value.backoff;
  return `${String(value.maxAttempts)} attempts, backoff ${String(b.initialMs)} ms ×${String(b.multiplier)} up to ${String(b.maxMs)} ms`;
}

function endsText(e: EdgeEnds): string {
  return `${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`;
}

/** One line an analyst reads, e.g. `Rule "Heavy?": condition changed from weight > 30 to weight > 25`. */
export function describeFlowChange(change: FlowChange): string {
  switch (change.kind) {
    case 'flow':
      return `Flow ${change.field} changed from ${show(change.before, false)} to ${show(change.after, false)}`;
    case 'setting':
      if (change.field.startsWith('retry'))
        return `Default retry policy changed: ${change.field} ${show(change.before, false)} → ${show(change.after, false)}`;
      return `Setting ${change.field} changed from ${show(change.before, change.expression)} to ${show(change.after, change.expression)}`;
    case 'node-added':
      return `Node added: "${change.name}" (${change.type}, id ${change.nodeId})`;
    case 'node-removed':
      return `Node removed: "${change.name}" (${change.type}, id ${change.nodeId})`;
    case 'node-renamed':
      return `Node ${change.nodeId} renamed from "${change.before}" to "${change.after}"`;
    case 'node-type-changed':
      return `Node "${change.name}" changed type from ${change.before} to ${change.after}`;
    case 'node-moved':
      return `Node "${change.name}" moved`;
    case 'config': {
      if (change.before === undefined)
        return `"${change.name}": ${change.field} added: ${show(change.after, change.expression)}`;
      if (change.after === undefined)
        return `"${change.name}": ${change.field} removed (was ${show(change.before, change.expression)})`;
      return `"${change.name}": ${change.field} changed from ${show(change.before, change.expression)} to ${show(change.after, change.expression)}`;
    }
    case 'node-setting':
      if (change.field === 'retry')
        return `"${change.name}": retry policy changed from ${retryText(change.before)} to ${retryText(change.after)}`;
      return `"${change.name}": ${change.field} changed from ${show(change.before, false)} to ${show(change.after, false)}`;
    case 'edge-added':
      return `Connection added: ${endsText(change.ends)}`;
    case 'edge-removed':
      return `Connection removed: ${endsText(change.ends)}`;
    case 'edge-rerouted':
      return `Connection ${change.edgeId} rerouted from ${endsText(change.before)} to ${endsText(change.after)}`;
  }
}
