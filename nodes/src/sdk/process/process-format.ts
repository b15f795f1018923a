import type { JsonValue } from '../json';
import { orderedJson as ordered, sortedJson as sorted } from '../ordered-json';
import type { ProcessDocument } from './process-types';

// Structural keys in the order a reader expects; everything else (expressions) sorted, so the
// same process always gives the same bytes.
const DOCUMENT_ORDER = [
  '$schema',
  'schemaVersion',
  'id',
  'name',
  'version',
  'description',
  'businessKey',
  'replayRoles',
  'milestones',
  'expectations',
  'checks',
];
const MILESTONE_ORDER = ['id', 'name', 'system', 'on', 'when', 'key', 'occurredAt', 'attributes'];
const SOURCE_ORDER = ['flow', 'node', 'port', 'runStatus'];
const EXPECTATION_ORDER = [
  'id',
  'name',
  'after',
  'expect',
  'within',
  'unless',
  'owner',
  'severity',
  'escalation',
];
const CHECK_ORDER = ['id', 'name', 'requires', 'rule', 'owner', 'severity'];

function items(value: unknown, each: (item: unknown) => unknown): unknown {
  return Array.isArray(value) ? value.map(each) : sorted(value);
}

/** The one writer of process files: stable key order, 2-space indent, LF, trailing newline. */
export function formatProcess(doc: ProcessDocument | JsonValue): string {
  const canonical = ordered(doc, DOCUMENT_ORDER, (k, v) => {
    if (k === 'milestones')
      return items(v, (m) =>
        ordered(m, MILESTONE_ORDER, (mk, mv) =>
          mk === 'on' ? items(mv, (s) => ordered(s, SOURCE_ORDER)) : sorted(mv),
        ),
      );
    if (k === 'expectations') return items(v, (e) => ordered(e, EXPECTATION_ORDER));
    if (k === 'checks') return items(v, (c) => ordered(c, CHECK_ORDER));
    return sorted(v);
  });
  return `${JSON.stringify(canonical, null, 2)}\n`;
}
