import type { FlowDocument } from './flow-types';
import { isJsonObject, type JsonValue } from './json';

// Structural keys are written in this order (the order a reader expects); any other key, such as
// those inside a node's config, is sorted alphabetically so that the same document always gives
// the same bytes.
const DOCUMENT_ORDER = [
  '$schema',
  'schemaVersion',
  'id',
  'name',
  'version',
  'description',
  'settings',
  'nodes',
  'edges',
];
const SETTINGS_ORDER = [
  'idempotencyKey',
  'orderingKey',
  'businessKeys',
  'priority',
  'retry',
  'runTimeoutMs',
  'nodeTimeoutMs',
  'dedupeWindowMs',
];
const NODE_ORDER = ['id', 'type', 'name', 'position', 'config', 'retry', 'timeoutMs', 'notes'];
const EDGE_ORDER = ['id', 'source', 'sourcePort', 'target', 'targetPort'];
const RETRY_ORDER = ['maxAttempts', 'backoff'];
const BACKOFF_ORDER = ['initialMs', 'multiplier', 'maxMs', 'jitter'];
const POSITION_ORDER = ['x', 'y'];

/** What a canvas adds to a node that must never reach the file. */
const SCREEN_ONLY_NODE_KEYS = new Set([
  'selected',
  'dragging',
  'measured',
  'width',
  'height',
  'positionAbsolute',
  'resizing',
  'dragHandle',
]);

function ordered(obj: Record<string, unknown>, order: readonly string[]): [string, unknown][] {
  const known = order.filter((k) => Object.hasOwn(obj, k) && obj[k] !== undefined);
  const rest = Object.keys(obj)
    .filter((k) => !order.includes(k) && obj[k] !== undefined)
    .sort();
  return [...known, ...rest].map((k) => [k, obj[k]]);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (isJsonObject(value)) {
    return Object.fromEntries(ordered(value, []).map(([k, v]) => [k, sortDeep(v)]));
  }
  return normalizeNumber(value);
}

function normalizeNumber(value: unknown): unknown {
  return Object.is(value, -0) ? 0 : value;
}

function build(
  obj: unknown,
  order: readonly string[],
  child: (key: string, v: unknown) => unknown,
) {
  if (!isJsonObject(obj)) return sortDeep(obj);
  return Object.fromEntries(ordered(obj, order).map(([k, v]) => [k, child(k, v)]));
}

function retry(value: unknown): unknown {
  return build(value, RETRY_ORDER, (k, v) =>
    k === 'backoff' ? build(v, BACKOFF_ORDER, (_k, x) => sortDeep(x)) : sortDeep(v),
  );
}

function node(value: unknown): unknown {
  if (!isJsonObject(value)) return sortDeep(value);
  const clean = Object.fromEntries(
    Object.entries(value).filter(([k]) => !SCREEN_ONLY_NODE_KEYS.has(k)),
  );
  return build(clean, NODE_ORDER, (k, v) => {
    if (k === 'position') {
      return build(v, POSITION_ORDER, (_k, n) =>
        typeof n === 'number' ? normalizeNumber(Math.round(n)) : n,
      );
    }
    if (k === 'retry') return retry(v);
    return sortDeep(v);
  });
}

/** Puts a flow document into its one canonical shape (no text yet). */
export function canonicalFlow(doc: FlowDocument | JsonValue): JsonValue {
  return build(doc, DOCUMENT_ORDER, (k, v) => {
    if (k === 'settings')
      return build(v, SETTINGS_ORDER, (sk, sv) => (sk === 'retry' ? retry(sv) : sortDeep(sv)));
    if (k === 'nodes' && Array.isArray(v)) return v.map(node);
    if (k === 'edges' && Array.isArray(v))
      return v.map((e) => build(e, EDGE_ORDER, (_k, x) => sortDeep(x)));
    return sortDeep(v);
  }) as JsonValue;
}

/**
 * The one writer of flow files, used by designer and CLI alike: stable key order, integer
 * positions, screen-only fields dropped, 2-space indent, LF and a trailing newline.
 */
export function formatFlow(doc: FlowDocument | JsonValue): string {
  return `${JSON.stringify(canonicalFlow(doc), null, 2)}\n`;
}

/** Deterministic text for any other JSON file Crossdock writes (environments, samples, tests). */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(sortDeep(value), null, 2)}\n`;
}
