import {
  catalog,
  type FlowDocument,
  formatFlow,
  isJsonObject,
  migrateFlow,
  parseJson,
  validateFlow,
} from '@crossdock/nodes';

/** An empty flow with the given id: the start of "New flow". */
export function newFlow(id: string, name: string): FlowDocument {
  return { schemaVersion: 1, id, name, version: '0.1.0', settings: {}, nodes: [], edges: [] };
}

/** A copy under a new id and name, for "Duplicate". */
export function duplicateFlow(doc: FlowDocument, id: string): FlowDocument {
  return { ...structuredClone(doc), id, name: `${doc.name} (copy)`, version: '0.1.0' };
}

/** A flow id from a name: lower-case words joined by dashes. */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'flow'
  );
}

/** Reads an imported file: JSON (with line numbers on error), migrated, in the document shape. */
export function importFlowText(text: string): { doc: FlowDocument } | { error: string } {
  const parsed = parseJson(text);
  const syntax = parsed.diagnostics[0];
  if (syntax) return { error: `${syntax.message} (line ${syntax.line ?? '?'})` };
  if (!isJsonObject(parsed.value)) return { error: 'A flow file holds a JSON object.' };
  const migrated = migrateFlow(parsed.value);
  const failed = migrated.diagnostics.find((d) => d.severity === 'error');
  if (failed) return { error: failed.message };
  const problems = validateFlow(migrated.doc, catalog).filter((d) => d.code === 'schema.invalid');
  if (problems.length > 0) {
    return { error: `Not a flow file: ${problems[0]?.message ?? 'wrong shape'}` };
  }
  return { doc: migrated.doc as unknown as FlowDocument };
}

/** The canonical file text, exactly as the CLI's `fmt` writes it. */
export function exportFlowText(doc: FlowDocument): string {
  return formatFlow(doc);
}

/** Bumps a semantic version: patch, minor or major. */
export function bumpVersion(version: string, part: 'patch' | 'minor' | 'major'): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return '0.1.0';
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (part === 'major') return `${maj + 1}.0.0`;
  if (part === 'minor') return `${maj}.${min + 1}.0`;
  return `${maj}.${min}.${pat + 1}`;
}
