import {
  type Diagnostic,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type NodeManifest,
} from '@crossdock/nodes';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';
import { fieldLabel, singular } from './field-labels';
import { eachDepth } from './mapping-model';

function isMappingList(prop: JsonObject): boolean {
  const items = prop.items;
  if (prop.type !== 'array' || !isJsonObject(items) || !isJsonObject(items.properties))
    return false;
  const expr = items.properties.expression;
  return 'target' in items.properties && isJsonObject(expr) && expr['x-expression'] === true;
}

/** Readable names for enum values that are invisible or cryptic as they are. */
const ENUM_NAMES: Record<string, string> = { '\n': 'LF (Unix)', '\r\n': 'CR LF (Windows)' };

interface Prepared {
  schema: JsonObject;
  ui: UiSchema;
}

function docsOnly(prop: JsonObject, key: string, extra: readonly string[] = []): JsonObject {
  const slim: JsonObject = { title: typeof prop.title === 'string' ? prop.title : fieldLabel(key) };
  for (const k of ['description', ...extra]) {
    if (prop[k] !== undefined) slim[k] = prop[k] as JsonValue;
  }
  return slim;
}

/**
 * `oneOf`/`anyOf` lists in our schemas only say which of the properties must be present (a mapping
 * row has `expression` or `each`; a delay has `delayMs` or `until`). The form renders the
 * properties; the shared validator reports a missing alternative by name on the field.
 */
function withoutAlternatives(schema: JsonObject): JsonObject {
  const { oneOf: _one, anyOf: _any, ...rest } = schema;
  return rest;
}

function prepareObject(schema: JsonObject, top: boolean, manifest: NodeManifest): Prepared {
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  const properties: JsonObject = {};
  const ui: UiSchema = {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isJsonObject(prop)) {
      properties[key] = prop;
      continue;
    }
    const p = prepareProperty(key, prop, top, manifest);
    properties[key] = p.schema;
    if (Object.keys(p.ui).length > 0) ui[key] = p.ui;
  }
  return { schema: { ...withoutAlternatives(schema), properties }, ui };
}

function prepareProperty(
  key: string,
  prop: JsonObject,
  top: boolean,
  manifest: NodeManifest,
): Prepared {
  const title = typeof prop.title === 'string' ? prop.title : fieldLabel(key);
  if (prop['x-expression'] === true) {
    return { schema: docsOnly(prop, key), ui: { 'ui:field': 'expression' } };
  }
  if (top && key === 'connection' && manifest.connection) {
    const systems = manifest.connection.systems;
    return {
      schema: { ...prop, title },
      ui: {
        'ui:widget': 'connection',
        ...(systems && systems.length > 0 ? { 'ui:options': { systems: [...systems] } } : {}),
      },
    };
  }
  if (top && key === 'partner' && prop.type === 'string') {
    return { schema: { ...prop, title }, ui: { 'ui:widget': 'partner' } };
  }
  if (isMappingList(prop)) {
    return {
      schema: docsOnly(prop, key, ['type']),
      ui: { 'ui:field': 'mapping', 'ui:options': { eachDepth: eachDepth(prop) } },
    };
  }
  if (Array.isArray(prop.type)) {
    // A string or a number (a CSV column by header name or by position).
    return { schema: docsOnly(prop, key), ui: { 'ui:field': 'text-or-number' } };
  }
  if (prop.type === 'object') {
    if (!isJsonObject(prop.properties)) {
      return { schema: docsOnly(prop, key, ['type']), ui: { 'ui:field': 'json' } };
    }
    const inner = prepareObject(prop, false, manifest);
    return { schema: { ...inner.schema, title }, ui: inner.ui };
  }
  if (prop.type === 'array' && isJsonObject(prop.items)) {
    const items = prop.items;
    if (Array.isArray(items.enum)) {
      // A set of choices (error codes): checkboxes, each value once.
      return {
        schema: { ...prop, title, uniqueItems: true },
        ui: { 'ui:widget': 'checkboxes', 'ui:options': { inline: true } },
      };
    }
    if (items['x-expression'] === true) {
      // A list of expressions (SQL parameters bound in order): one rule editor per item.
      const one = singular(key);
      return {
        schema: {
          ...docsOnly(prop, key, ['type', 'maxItems']),
          items: { title: one.charAt(0).toUpperCase() + one.slice(1) },
        },
        ui: {
          items: { 'ui:field': 'expression' },
          'ui:options': { orderable: true, removable: true, addable: true },
        },
      };
    }
    if (items.type === 'object') {
      const inner = prepareObject(items, false, manifest);
      return {
        schema: { ...prop, title, items: inner.schema },
        ui: { items: inner.ui, 'ui:options': { orderable: true, removable: true, addable: true } },
      };
    }
    // A list of plain values: each item is titled by what one of them is ("Status").
    const one = singular(key);
    return {
      schema: {
        ...prop,
        title,
        items: { ...items, title: one.charAt(0).toUpperCase() + one.slice(1) },
      },
      ui: {},
    };
  }
  const ui: UiSchema = {};
  if (Array.isArray(prop.enum) && prop.enum.some((v) => typeof v === 'string' && v in ENUM_NAMES)) {
    ui['ui:enumNames'] = prop.enum.map((v) =>
      typeof v === 'string' ? (ENUM_NAMES[v] ?? v) : String(v),
    );
  }
  return { schema: { ...prop, title }, ui };
}

function prepare(manifest: NodeManifest): Prepared {
  return prepareObject(manifest.configSchema, true, manifest);
}

/**
 * How each config field is edited, at every depth: expressions get the rule builder (also inside
 * list items such as a switch's cases), mapping lists the mapping editor, a connector's
 * `connection` the environment picker, free-form objects a JSON field, lists of objects a card per
 * item with add, remove and reorder.
 */
export function uiSchemaFor(manifest: NodeManifest): UiSchema {
  return { 'ui:submitButtonOptions': { norender: true }, ...prepare(manifest).ui };
}

/**
 * The schema the form library renders from: the manifest's, with a title on every field, every
 * field that has its own editor reduced to its docs (so the library fills no defaults inside it)
 * and `oneOf`/`anyOf` presence rules left to the shared validator, which checks the full schema.
 */
export function formSchemaFor(manifest: NodeManifest, _ui?: UiSchema): JsonObject {
  return prepare(manifest).schema;
}

/** The validator's diagnostics for one node, as the form's per-field errors. */
export function configErrors(diagnostics: readonly Diagnostic[], nodeId: string): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const d of diagnostics) {
    if (d.nodeId !== nodeId || d.pointer[2] !== 'config') continue;
    let at: Record<string, unknown> = root;
    for (const seg of d.pointer.slice(3)) {
      const key = String(seg);
      const next = (at[key] as Record<string, unknown> | undefined) ?? {};
      at[key] = next;
      at = next;
    }
    const list = (at.__errors as string[] | undefined) ?? [];
    list.push(d.message.replace(/^[^:]*"[^"]*":\s*/, ''));
    at.__errors = list;
  }
  return root as ErrorSchema;
}
