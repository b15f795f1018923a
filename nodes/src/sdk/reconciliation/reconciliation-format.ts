import type { JsonValue } from '../json';
import { orderedJson as ordered, sortedJson as sorted } from '../ordered-json';
import type { ReconciliationDocument } from './reconciliation-types';

// Structural keys in the order a reader expects; anything else sorted, so the same stream
// always gives the same bytes.
const DOCUMENT_ORDER = [
  '$schema',
  'schemaVersion',
  'id',
  'name',
  'description',
  'kind',
  'domain',
  'owner',
  'schedule',
  'systemOfRecord',
  'left',
  'right',
  'fields',
  'tower',
  'correction',
];
const READ_ORDER = ['system', 'connection', 'path', 'query', 'node', 'items', 'paging', 'key'];
const FIELD_ORDER = ['name', 'type', 'left', 'right', 'tolerance'];
const SIDE_ORDER = ['path', 'values', 'scale'];

/** The one writer of reconciliation files: stable key order, 2-space indent, LF, final newline. */
export function formatReconciliation(doc: ReconciliationDocument | JsonValue): string {
  const canonical = ordered(doc, DOCUMENT_ORDER, (k, v) => {
    if (k === 'left' || k === 'right') return ordered(v, READ_ORDER);
    if (k === 'fields' && Array.isArray(v))
      return v.map((f) =>
        ordered(f, FIELD_ORDER, (fk, fv) =>
          fk === 'left' || fk === 'right' ? ordered(fv, SIDE_ORDER) : sorted(fv),
        ),
      );
    return sorted(v);
  });
  return `${JSON.stringify(canonical, null, 2)}\n`;
}
