import type {
  Diagnostic,
  JsonPath,
  ProcessCheck,
  ProcessDocument,
  ProcessExpectation,
  ProcessMilestone,
} from '@crossdock/nodes';

/**
 * Edits of a process document being drawn and edited in the control tower, as a closed union
 * applied by one pure function: the draft stays the JSON document the runtime deploys.
 */
export type ProcessEdit =
  | { kind: 'set-version'; version: string }
  | { kind: 'add-milestone'; milestone: ProcessMilestone }
  | { kind: 'update-milestone'; index: number; milestone: ProcessMilestone }
  | { kind: 'remove-milestone'; index: number }
  | { kind: 'move-milestone'; index: number; by: -1 | 1 }
  | { kind: 'add-expectation'; expectation: ProcessExpectation }
  | { kind: 'update-expectation'; index: number; expectation: ProcessExpectation }
  | { kind: 'remove-expectation'; index: number }
  | { kind: 'add-check'; check: ProcessCheck }
  | { kind: 'update-check'; index: number; check: ProcessCheck }
  | { kind: 'remove-check'; index: number };

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((x, i) => (i === index ? item : x));
}

function without<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

/** Applies one edit; never mutates the draft it is given. */
export function applyProcessEdit(doc: ProcessDocument, edit: ProcessEdit): ProcessDocument {
  switch (edit.kind) {
    case 'set-version':
      return { ...doc, version: edit.version };
    case 'add-milestone':
      return { ...doc, milestones: [...doc.milestones, edit.milestone] };
    case 'update-milestone':
      return { ...doc, milestones: replaceAt(doc.milestones, edit.index, edit.milestone) };
    case 'remove-milestone':
      return { ...doc, milestones: without(doc.milestones, edit.index) };
    case 'move-milestone': {
      const to = edit.index + edit.by;
      const moved = doc.milestones[edit.index];
      const other = doc.milestones[to];
      if (!moved || !other) return doc;
      const milestones = replaceAt(replaceAt(doc.milestones, edit.index, other), to, moved);
      return { ...doc, milestones };
    }
    case 'add-expectation':
      return { ...doc, expectations: [...doc.expectations, edit.expectation] };
    case 'update-expectation':
      return { ...doc, expectations: replaceAt(doc.expectations, edit.index, edit.expectation) };
    case 'remove-expectation':
      return { ...doc, expectations: without(doc.expectations, edit.index) };
    case 'add-check':
      return { ...doc, checks: [...doc.checks, edit.check] };
    case 'update-check':
      return { ...doc, checks: replaceAt(doc.checks, edit.index, edit.check) };
    case 'remove-check':
      return { ...doc, checks: without(doc.checks, edit.index) };
  }
}

/** The diagnostics whose JSON path is exactly `pointer` (shown beside that field). */
export function diagnosticsAt(diagnostics: readonly Diagnostic[], pointer: JsonPath): Diagnostic[] {
  const want = pointer.join('/');
  return diagnostics.filter((d) => d.pointer.join('/') === want);
}

/** The diagnostics at or under `pointer` (a row with a problem somewhere inside). */
export function diagnosticsUnder(
  diagnostics: readonly Diagnostic[],
  pointer: JsonPath,
): Diagnostic[] {
  const want = pointer.join('/');
  return diagnostics.filter((d) => {
    const at = d.pointer.join('/');
    return at === want || at.startsWith(`${want}/`);
  });
}

/** The next patch version (`1.2.3` -> `1.2.4`): a saved change must bump the number. */
export function nextVersion(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : version;
}

/** An id not yet used among `taken`, from a name: `Invoice posted` -> `invoice-posted`. */
export function freshId(base: string, taken: readonly string[]): string {
  const slug =
    base
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'item';
  let id = slug;
  for (let n = 2; taken.includes(id); n++) id = `${slug}-${n}`;
  return id;
}
