import {
  CROSSDOCK_OPERATIONS,
  evaluate,
  isJsonObject,
  type JsonObject,
  type JsonValue,
} from '@crossdock/nodes';

/**
 * One field mapping as the flow file keeps it: `expression`, or `each` (an array built per source
 * item, whose own fields read `{item, index, root}`). Other keys (`default`, `required`) are kept.
 */
export interface MappingRow {
  target: string;
  expression?: JsonValue;
  each?: { items: JsonValue; fields: MappingRow[] };
  [key: string]: JsonValue | undefined | { items: JsonValue; fields: MappingRow[] };
}

/** Rows of a `fields` list; anything that is not an object is dropped, unknown keys are kept. */
export function mappingRows(value: unknown): MappingRow[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((r) => {
    const row: MappingRow = { ...r, target: typeof r.target === 'string' ? r.target : '' };
    if (isJsonObject(r.each)) {
      row.each = { items: r.each.items ?? null, fields: mappingRows(r.each.fields) };
    }
    return row;
  });
}

/** A row turned into a list built `each` item, or back into a plain value; nothing typed is lost. */
export function toggleEach(row: MappingRow): MappingRow {
  const { each, expression, ...rest } = row;
  if (each) return { ...rest, expression: each.items };
  return { ...rest, each: { items: expression ?? { var: '' }, fields: [] } };
}

/**
 * How deep `each` may nest, read from the node's schema (the executor refuses deeper): the number
 * of `each` objects on the way down `items.properties.each.properties.fields`.
 */
export function eachDepth(schema: unknown): number {
  let depth = 0;
  let at: unknown = schema;
  for (;;) {
    const items = isJsonObject(at) ? at.items : undefined;
    const props = isJsonObject(items) ? items.properties : undefined;
    const each = isJsonObject(props) ? props.each : undefined;
    const inner = isJsonObject(each) && isJsonObject(each.properties) ? each.properties : undefined;
    if (!inner) return depth;
    depth += 1;
    at = inner.fields;
  }
}

/** An operation from the picker, with the current expression as its first argument. */
export function wrapInOperation(name: string, current: JsonValue | undefined): JsonValue {
  const spec = CROSSDOCK_OPERATIONS.find((o) => o.name === name);
  if (!spec || !isJsonObject(spec.example.rule)) return current ?? null;
  const template = spec.example.rule[name];
  const first = current ?? { var: '' };
  const args = Array.isArray(template) ? [first, ...template.slice(1)] : first;
  if (Array.isArray(template) && template.length === 0) return { [name]: [] };
  return { [name]: args } as JsonObject;
}

export type Preview = { ok: true; value: JsonValue } | { ok: false; error: string };

/** A row's value against a sample, as the mapping node would compute it (same evaluator). */
export function previewRow(
  row: MappingRow,
  data: JsonValue | undefined,
  tables: Record<string, Record<string, JsonValue>>,
  now: Date,
): Preview {
  if (data === undefined) return { ok: false, error: 'no sample' };
  try {
    if (row.each) {
      const items = evaluate(row.each.items, data, { tables, now });
      if (items === null) return { ok: true, value: null };
      if (!Array.isArray(items))
        return { ok: false, error: `items gave ${typeof items}, not a list` };
      return {
        ok: true,
        value: items.map((item, index) =>
          buildObject(row.each?.fields ?? [], { item, index, root: data }, tables, now),
        ),
      };
    }
    const value = evaluate(row.expression ?? null, data, { tables, now });
    return {
      ok: true,
      value: value === null && row.default !== undefined ? (row.default as JsonValue) : value,
    };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function buildObject(
  fields: readonly MappingRow[],
  data: JsonValue,
  tables: Record<string, Record<string, JsonValue>>,
  now: Date,
): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    const p = previewRow(f, data, tables, now);
    if (!p.ok) throw new Error(`${f.target}: ${p.error}`);
    if (f.target !== '') out[f.target] = p.value;
  }
  return out;
}

/** The scope an `each` block's fields read, from its first item: for their source list. */
export function itemScope(
  row: MappingRow,
  data: JsonValue | undefined,
  tables: Record<string, Record<string, JsonValue>>,
  now: Date,
): JsonValue | undefined {
  if (!row.each || data === undefined) return undefined;
  try {
    const items = evaluate(row.each.items, data, { tables, now });
    return Array.isArray(items) && items.length > 0
      ? { item: items[0] as JsonValue, index: 0, root: data }
      : undefined;
  } catch {
    return undefined;
  }
}
