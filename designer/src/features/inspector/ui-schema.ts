import {
  type Diagnostic,
  isJsonObject,
  type JsonObject,
  type NodeManifest,
} from '@crossdock/nodes';
import type { ErrorSchema, UiSchema } from '@rjsf/utils';

function isMappingList(prop: JsonObject): boolean {
  const items = prop.items;
  if (prop.type !== 'array' || !isJsonObject(items) || !isJsonObject(items.properties))
    return false;
  const expr = items.properties.expression;
  return 'target' in items.properties && isJsonObject(expr) && expr['x-expression'] === true;
}

/**
 * How each config field is edited: expressions get the rule builder, mapping lists the mapping
 * editor, a connector's `connection` the environment picker, free-form objects a JSON field.
 */
export function uiSchemaFor(manifest: NodeManifest): UiSchema {
  const ui: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const props = isJsonObject(manifest.configSchema.properties)
    ? manifest.configSchema.properties
    : {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isJsonObject(prop)) continue;
    if (prop['x-expression'] === true) ui[key] = { 'ui:field': 'expression' };
    else if (key === 'connection' && manifest.connection) {
      const systems = manifest.connection.systems;
      ui[key] = {
        'ui:widget': 'connection',
        ...(systems && systems.length > 0 ? { 'ui:options': { systems: [...systems] } } : {}),
      };
    } else if (isMappingList(prop)) ui[key] = { 'ui:field': 'mapping' };
    else if (prop.type === 'object') ui[key] = { 'ui:field': 'json' };
  }
  return ui;
}

/**
 * The schema the form library renders from: the manifest's, with every field that has its own
 * editor reduced to its type and docs. The form library then fills no defaults inside them (it
 * would pick a `oneOf` branch for a new mapping row); the shared validator still checks the full
 * schema.
 */
export function formSchemaFor(manifest: NodeManifest, ui: UiSchema): JsonObject {
  const schema = manifest.configSchema;
  const props = isJsonObject(schema.properties) ? schema.properties : {};
  const reduced: JsonObject = {};
  for (const [key, prop] of Object.entries(props)) {
    const custom = isJsonObject(ui[key]) && typeof ui[key]['ui:field'] === 'string';
    if (!custom || !isJsonObject(prop)) {
      reduced[key] = prop;
      continue;
    }
    const slim: JsonObject = {};
    for (const k of ['title', 'description', 'type'] as const) {
      if (prop[k] !== undefined) slim[k] = prop[k];
    }
    reduced[key] = slim;
  }
  return { ...schema, properties: reduced };
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
