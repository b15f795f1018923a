import { readPath } from '../expressions/operations';
import type { JsonValue } from '../json';
import type {
  FieldSide,
  ReconciliationDocument,
  ReconciliationField,
  ReconciliationSide,
} from './reconciliation-types';

/** One field that differs for a key: both values as read, and as compared. */
export interface FieldDifference {
  field: string;
  left: JsonValue;
  right: JsonValue;
  /** The values after translation and scaling, which the tolerance was applied to. */
  compared: { left: JsonValue; right: JsonValue };
}

export type DifferenceStatus = 'different' | 'missing-left' | 'missing-right';

/** A business key that is not equal on both sides. */
export interface KeyDifference {
  key: string;
  status: DifferenceStatus;
  /** `different` only. */
  fields: FieldDifference[];
}

export interface ComparisonCounts {
  /** Keys seen on either side. */
  keys: number;
  equal: number;
  different: number;
  missingLeft: number;
  missingRight: number;
}

export interface Comparison {
  counts: ComparisonCounts;
  /** Sorted by key. */
  differences: KeyDifference[];
  /** Keys read twice on one side: the later record wins, the repeat is reported. */
  duplicates: { side: ReconciliationSide; key: string }[];
  /** Records without a usable key (a key part missing or not a string or number). */
  unkeyed: { left: number; right: number };
}

/** The business key of a record: its key paths' values joined with "/". */
export function recordKey(record: unknown, paths: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const p of paths) {
    const v = readPath(record, p, null);
    if (typeof v === 'string' && v !== '') parts.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) parts.push(String(v));
    else return undefined;
  }
  return parts.join('/');
}

/** A side's value in the shared vocabulary and unit. */
export function comparable(record: unknown, side: FieldSide, type: 'string' | 'number'): JsonValue {
  const raw = readPath(record, side.path, null);
  if (raw === null) return null;
  if (side.values) {
    const code = String(raw);
    if (Object.hasOwn(side.values, code)) return side.values[code] ?? null;
  }
  if (type === 'number') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(n)) return raw;
    return side.scale === undefined ? n : n * side.scale;
  }
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function normalString(value: string, field: ReconciliationField): string {
  let s = value;
  if (field.tolerance?.ignoreWhitespace) s = s.trim().replace(/\s+/g, ' ');
  if (field.tolerance?.ignoreCase) s = s.toLowerCase();
  return s;
}

/** Whether two comparable values count as equal under the field's tolerance. */
export function valuesEqual(a: JsonValue, b: JsonValue, field: ReconciliationField): boolean {
  if (a === null || b === null) return a === b;
  if (field.type === 'number' && typeof a === 'number' && typeof b === 'number') {
    const distance = Math.abs(a - b);
    if (distance === 0) return true;
    const absolute = field.tolerance?.absolute;
    const relative = field.tolerance?.relative;
    // A little slack for the float error of a scale (0.1 + 0.2): never a business tolerance.
    const epsilon = 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
    if (absolute !== undefined && distance <= absolute + epsilon) return true;
    if (
      relative !== undefined &&
      distance <= relative * Math.max(Math.abs(a), Math.abs(b)) + epsilon
    )
      return true;
    return distance <= epsilon;
  }
  if (typeof a === 'string' && typeof b === 'string')
    return normalString(a, field) === normalString(b, field);
  return JSON.stringify(a) === JSON.stringify(b);
}

function index(
  records: readonly unknown[],
  paths: readonly string[],
  side: ReconciliationSide,
  duplicates: Comparison['duplicates'],
): { byKey: Map<string, unknown>; unkeyed: number } {
  const byKey = new Map<string, unknown>();
  let unkeyed = 0;
  for (const record of records) {
    const key = recordKey(record, paths);
    if (key === undefined) {
      unkeyed += 1;
      continue;
    }
    if (byKey.has(key)) duplicates.push({ side, key });
    byKey.set(key, record);
  }
  return { byKey, unkeyed };
}

/**
 * Compares the two reads of a stream per business key: equal, different (which fields, both
 * values) or missing on one side. Pure: the runtime reads, this decides.
 */
export function compareRecords(
  doc: Pick<ReconciliationDocument, 'left' | 'right' | 'fields'>,
  leftRecords: readonly unknown[],
  rightRecords: readonly unknown[],
): Comparison {
  const duplicates: Comparison['duplicates'] = [];
  const left = index(leftRecords, doc.left.key, 'left', duplicates);
  const right = index(rightRecords, doc.right.key, 'right', duplicates);
  const keys = [...new Set([...left.byKey.keys(), ...right.byKey.keys()])].sort();
  const counts: ComparisonCounts = {
    keys: keys.length,
    equal: 0,
    different: 0,
    missingLeft: 0,
    missingRight: 0,
  };
  const differences: KeyDifference[] = [];
  for (const key of keys) {
    const l = left.byKey.get(key);
    const r = right.byKey.get(key);
    if (l === undefined) {
      counts.missingLeft += 1;
      differences.push({ key, status: 'missing-left', fields: [] });
      continue;
    }
    if (r === undefined) {
      counts.missingRight += 1;
      differences.push({ key, status: 'missing-right', fields: [] });
      continue;
    }
    const fields: FieldDifference[] = [];
    for (const field of doc.fields) {
      const a = comparable(l, field.left, field.type);
      const b = comparable(r, field.right, field.type);
      if (valuesEqual(a, b, field)) continue;
      fields.push({
        field: field.name,
        left: readPath(l, field.left.path, null),
        right: readPath(r, field.right.path, null),
        compared: { left: a, right: b },
      });
    }
    if (fields.length === 0) counts.equal += 1;
    else {
      counts.different += 1;
      differences.push({ key, status: 'different', fields });
    }
  }
  return {
    counts,
    differences,
    duplicates,
    unkeyed: { left: left.unkeyed, right: right.unkeyed },
  };
}
