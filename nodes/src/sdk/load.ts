import type { Catalog } from './catalog';
import { type Diagnostic, diagnostic, hasErrors } from './diagnostics';
import { type Environment, environmentSchema } from './environment';
import { FLOW_SCHEMA_VERSION, type FlowDocument } from './flow-types';
import { isJsonObject, type JsonObject } from './json';
import { parseJson } from './parse';
import { checkSchema } from './schema-check';
import { type ValidateOptions, validateFlow } from './validate';

/** Each entry lifts a document from schemaVersion i+1 to i+2. Empty while the format is at 1. */
const MIGRATIONS: ReadonlyArray<(doc: JsonObject) => JsonObject> = [];

/** Brings an older flow document up to the current `schemaVersion`. */
export function migrateFlow(doc: JsonObject): { doc: JsonObject; diagnostics: Diagnostic[] } {
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return { doc, diagnostics: [] };
  if (version > FLOW_SCHEMA_VERSION) {
    return {
      doc,
      diagnostics: [
        diagnostic(
          'error',
          'schema.invalid',
          `This flow was written by a newer Crossdock (schemaVersion ${version}); this one reads up to ${FLOW_SCHEMA_VERSION}. Upgrade Crossdock.`,
          ['schemaVersion'],
        ),
      ],
    };
  }
  let current = doc;
  for (let v = version; v < FLOW_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v - 1];
    if (step) current = step(current);
  }
  return { doc: { ...current, schemaVersion: FLOW_SCHEMA_VERSION }, diagnostics: [] };
}

export interface LoadedFlow {
  /** Present when the text parsed and validated without errors. */
  flow: FlowDocument | undefined;
  /** The parsed value, even when invalid (for editors that show a broken file). */
  value: unknown;
  diagnostics: Diagnostic[];
}

/**
 * Parses, migrates and validates a flow file's text in one step; every diagnostic carries the
 * line and column of what it points at.
 */
export function loadFlow(
  text: string,
  catalog: Catalog,
  options: ValidateOptions = {},
): LoadedFlow {
  const parsed = parseJson(text);
  if (parsed.value === undefined)
    return { flow: undefined, value: undefined, diagnostics: parsed.diagnostics };
  let value: unknown = parsed.value;
  const diagnostics: Diagnostic[] = [];
  if (isJsonObject(value)) {
    const migrated = migrateFlow(value);
    value = migrated.doc;
    diagnostics.push(...migrated.diagnostics);
  }
  if (!hasErrors(diagnostics)) diagnostics.push(...validateFlow(value, catalog, options));
  for (const d of diagnostics) {
    if (d.line !== undefined) continue;
    const where = parsed.locate(d.pointer);
    if (where) {
      d.line = where.line;
      d.column = where.column;
    }
  }
  const ok = !hasErrors(diagnostics);
  return { flow: ok ? (value as FlowDocument) : undefined, value, diagnostics };
}

export interface LoadedEnvironment {
  environment: Environment | undefined;
  diagnostics: Diagnostic[];
}

/** Parses and checks an environment file (`flows/environments/<name>.json`). */
export function loadEnvironment(text: string): LoadedEnvironment {
  const parsed = parseJson(text);
  if (parsed.value === undefined)
    return { environment: undefined, diagnostics: parsed.diagnostics };
  const diagnostics = checkSchema(environmentSchema, parsed.value).map((p) => {
    const d = diagnostic('error', 'environment.invalid', p.message, p.pointer);
    const where = parsed.locate(p.pointer);
    if (where) {
      d.line = where.line;
      d.column = where.column;
    }
    return d;
  });
  return {
    environment: diagnostics.length === 0 ? (parsed.value as Environment) : undefined,
    diagnostics,
  };
}
