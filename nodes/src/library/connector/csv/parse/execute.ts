import { parse } from 'csv-parse/sync';
import { PermanentError } from '../../../../sdk/errors';
import type { Emission, NodeExecutor } from '../../../../sdk/executor-types';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../../sdk/json';
import { FORBIDDEN_FIELDS } from '../cells';

type CellType = 'string' | 'number' | 'integer' | 'boolean' | 'date';

interface Column {
  source: string | number;
  target: string;
  type: CellType;
  required: boolean;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
const MAX_LISTED = 20;

function readColumns(value: JsonValue | undefined): Column[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isJsonObject).map((c) => ({
    source: typeof c.source === 'number' ? c.source : String(c.source ?? ''),
    target: String(c.target ?? ''),
    type: (['number', 'integer', 'boolean', 'date'] as const).find((t) => t === c.type) ?? 'string',
    required: c.required === true,
  }));
}

/** Converts one cell; a string result is the problem. */
function convert(cell: string, type: CellType): { value: JsonValue } | { problem: string } {
  switch (type) {
    case 'string':
      return { value: cell };
    case 'number':
    case 'integer': {
      const ok =
        type === 'integer'
          ? /^[+-]?\d+$/.test(cell)
          : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell);
      return ok && Number.isFinite(Number(cell))
        ? { value: Number(cell) }
        : { problem: `is not ${type === 'integer' ? 'an integer' : 'a number'}` };
    }
    case 'boolean': {
      const lower = cell.toLowerCase();
      if (TRUE.has(lower)) return { value: true };
      if (FALSE.has(lower)) return { value: false };
      return { problem: 'is not true/false, yes/no, y/n or 1/0' };
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
      return d?.toISOString().startsWith(cell)
        ? { value: cell }
        : { problem: 'is not a date (YYYY-MM-DD)' };
    }
  }
}

function textOf(payload: JsonValue, field: string | undefined): string {
  if (typeof payload === 'string') return payload;
  if (field !== undefined && isJsonObject(payload) && typeof payload[field] === 'string')
    return payload[field];
  throw new PermanentError(
    'invalid-input',
    field === undefined
      ? 'The message must be CSV text (a string); set "field" to read it from an object.'
      : `The message has no text field "${field}" with the CSV.`,
  );
}

function parseRecords(text: string, delimiter: string, trim: boolean, maxRows: number): string[][] {
  try {
    return parse(text, {
      delimiter,
      bom: true,
      trim,
      skip_empty_lines: true,
      relax_column_count: true,
      to_line: maxRows + 2,
    }) as string[][];
  } catch (error) {
    const e = error as { message?: string; code?: string; lines?: number };
    throw new PermanentError(
      'invalid-input',
      `The CSV cannot be read: ${e.message ?? String(error)}`,
      {
        details: { code: e.code ?? 'unknown', line: e.lines ?? null },
      },
    );
  }
}

export const executeCsvParse: NodeExecutor = async (input, ctx) => {
  const c = ctx.config;
  const delimiter = typeof c.delimiter === 'string' && c.delimiter.length === 1 ? c.delimiter : ',';
  const headers = c.headers !== false;
  const maxRows = typeof c.maxRows === 'number' ? c.maxRows : 10000;
  const columns = readColumns(c.columns);
  const records = parseRecords(
    textOf(input.payload, typeof c.field === 'string' ? c.field : undefined),
    delimiter,
    c.trim !== false,
    maxRows,
  );

  const header = headers ? (records.shift() ?? []) : [];
  const dataRows = records.length;
  if (dataRows > maxRows) {
    throw new PermanentError('invalid-input', `The CSV has more than ${maxRows} rows (maxRows).`);
  }
  for (const name of header) {
    if (FORBIDDEN_FIELDS.has(name))
      throw new PermanentError(
        'invalid-input',
        `The CSV header "${name}" is not allowed as a field name.`,
      );
  }
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined && !columns) {
    throw new PermanentError(
      'invalid-input',
      `The CSV header "${duplicate}" appears twice; map the columns with "columns".`,
    );
  }
  const problems: string[] = [];
  const indexOf = (col: Column): number => {
    if (typeof col.source === 'number') return col.source - 1;
    const i = header.indexOf(col.source);
    if (i < 0) problems.push(`Column "${col.source}" is not in the header (${header.join(', ')}).`);
    return i;
  };
  const firstLine = headers ? 2 : 1;
  let rows: JsonValue[];
  if (columns) {
    const indexes = columns.map(indexOf);
    if (problems.length > 0)
      throw new PermanentError('invalid-input', problems.join(' '), { details: problems });
    rows = records.map((record, r) => {
      const row: JsonObject = {};
      columns.forEach((col, k) => {
        const cell = record[indexes[k] ?? -1] ?? '';
        const where = `line ${r + firstLine}, column "${col.source}"`;
        if (cell === '') {
          if (col.required) problems.push(`${where}: is empty but required.`);
          return;
        }
        const result = convert(cell, col.type);
        if ('problem' in result) problems.push(`${where}: "${cell}" ${result.problem}.`);
        else row[col.target] = result.value;
      });
      return row;
    });
  } else if (headers) {
    rows = records.map((record) =>
      Object.fromEntries(header.map((name, i) => [name, record[i] ?? ''])),
    );
  } else {
    rows = records;
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED);
    const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
    throw new PermanentError(
      'validation-failed',
      `${problems.length} cell(s) cannot be read: ${listed.join(' ')}${more}`,
      {
        details: problems,
      },
    );
  }
  if (c.emit === 'each') {
    return { emissions: rows.map((payload): Emission => ({ port: 'out', payload })) };
  }
  return { emissions: [{ port: 'out', payload: { rows, rowCount: rows.length } }] };
};
