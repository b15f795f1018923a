import { stringify } from 'csv-stringify/sync';
import { PermanentError } from '../../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../../sdk/executor-types';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../../sdk/json';
import { FORBIDDEN_FIELDS } from '../cells';

interface Column {
  path: string[];
  header: string;
}

/** Reads a dotted path through own properties only. */
function at(row: JsonObject, path: string[]): JsonValue | undefined {
  let current: JsonValue | undefined = row;
  for (const key of path) {
    if (!isJsonObject(current) || FORBIDDEN_FIELDS.has(key) || !Object.hasOwn(current, key))
      return undefined;
    current = current[key];
  }
  return current;
}

function cell(value: JsonValue | undefined): string | number | boolean {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function rowsOf(payload: JsonValue, field: string): JsonObject[] {
  const list = Array.isArray(payload)
    ? payload
    : isJsonObject(payload) && Object.hasOwn(payload, field)
      ? payload[field]
      : undefined;
  if (!Array.isArray(list)) {
    throw new PermanentError(
      'invalid-input',
      `The message must be a list of rows or an object with a "${field}" list.`,
    );
  }
  const bad = list.findIndex((r) => !isJsonObject(r));
  if (bad >= 0) throw new PermanentError('invalid-input', `Row ${bad + 1} is not an object.`);
  return list as JsonObject[];
}

export const executeCsvGenerate: NodeExecutor = async (input, ctx) => {
  const c = ctx.config;
  const rows = rowsOf(input.payload, typeof c.field === 'string' ? c.field : 'rows');
  let columns: Column[];
  if (Array.isArray(c.columns)) {
    columns = c.columns.filter(isJsonObject).map((col) => {
      const field = String(col.field ?? '');
      const path = field.split('.');
      if (path.some((p) => FORBIDDEN_FIELDS.has(p) || p === '')) {
        throw new PermanentError('invalid-config', `Column field "${field}" is not a usable path.`);
      }
      return { path, header: typeof col.header === 'string' ? col.header : field };
    });
  } else {
    const seen = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
    columns = [...seen].map((key) => ({ path: [key], header: key }));
  }
  const records = rows.map((row) => columns.map((col) => cell(at(row, col.path))));
  const csv = stringify(
    c.header === false ? records : [columns.map((col) => col.header), ...records],
    {
      delimiter: typeof c.delimiter === 'string' && c.delimiter.length === 1 ? c.delimiter : ',',
      record_delimiter: c.eol === '\r\n' ? 'windows' : 'unix',
      quoted: c.quoted === true,
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    },
  );
  return emit({ csv, rowCount: rows.length });
};
