import { CROSSDOCK_OPERATIONS, isJsonObject, type JsonValue } from '@crossdock/nodes';
import type { FieldProps } from '@rjsf/utils';
import { createContext, useContext, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { JsonInput } from './json-input';
import {
  itemScope,
  type MappingRow,
  mappingRows,
  type Preview,
  previewRow,
  toggleEach,
  wrapInOperation,
} from './mapping-model';

/** The message a mapping reads, for the left-hand side of the editor (a sample or a trace input). */
export const MappingSourceContext = createContext<JsonValue | undefined>(undefined);
/** The node's lookup tables, for previews of `lookup`. */
export const MappingTablesContext = createContext<Record<string, Record<string, JsonValue>>>({});

/** Leaf paths of a sample, for picking a source field: `order.number`, `order.lines`, ... */
export function sourcePaths(
  value: JsonValue | undefined,
  prefix = '',
): { path: string; sample: string }[] {
  if (isJsonObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => sourcePaths(v, prefix ? `${prefix}.${k}` : k));
  }
  if (prefix === '') return [];
  const sample = Array.isArray(value) ? `[${value.length}]` : JSON.stringify(value);
  return [{ path: prefix, sample: sample.length > 28 ? `${sample.slice(0, 27)}…` : sample }];
}

function short(p: Preview): string {
  if (!p.ok) return p.error;
  const text = JSON.stringify(p.value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function SourceList(props: {
  data: JsonValue | undefined;
  label: string;
  onPick: (path: string) => void;
  empty: string;
}) {
  const paths = sourcePaths(props.data);
  return (
    <section className="mapping-editor__source" aria-label={props.label}>
      <h4>{props.label}</h4>
      {paths.length === 0 ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <ul>
          {paths.map((p) => (
            <li key={p.path}>
              <button
                type="button"
                className="source-field"
                onClick={() => props.onPick(p.path)}
                aria-label={`Map source ${p.path}`}
              >
                <span className="mono">{p.path}</span>
                <span className="muted mono">{p.sample}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface RowsProps {
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
  /** What these rows read: the message, or `{item, index, root}` inside an `each`. */
  data: JsonValue | undefined;
  /** How many more `each` levels may open below these rows. */
  depthLeft: number;
  /** Accessible-name prefix: "" at the top, "lines " inside the `each` of `lines`. */
  prefix: string;
}

/** A list of target rows: value rows with an expression, `each` rows with their own rows. */
function MappingRows({ rows, onChange, data, depthLeft, prefix }: RowsProps) {
  const tables = useContext(MappingTablesContext);
  const now = useMemo(() => new Date(), []);
  const [active, setActive] = useState<number | null>(null);
  const update = (i: number, row: MappingRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    const [row] = next.splice(i, 1);
    if (row) next.splice(i + by, 0, row);
    onChange(next);
    setActive(i + by);
  };
  const pick = (path: string) => {
    const row = active !== null ? rows[active] : undefined;
    if (row && !row.each) update(active as number, { ...row, expression: { var: path } });
    else onChange([...rows, { target: path.split('.').pop() ?? path, expression: { var: path } }]);
  };
  return (
    <div className="mapping-rows">
      <SourceList
        data={data}
        label={prefix === '' ? 'Source' : `Item fields of ${prefix.trim()}`}
        onPick={pick}
        empty={
          prefix === ''
            ? 'Pin a sample or run the flow to see source fields.'
            : 'The sample has no items here yet.'
        }
      />
      {prefix === '' && <h4>Target fields</h4>}
      {rows.map((r, i) => {
        const name = `${prefix}${r.target || `target ${i + 1}`}`;
        const preview = previewRow(r, data, tables, now);
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: focus bubbles up from the row's inputs to mark the row a source click fills
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are ordered and have no id
            key={i}
            className={`mapping-row${active === i ? ' mapping-row--active' : ''}${r.each ? ' mapping-row--each' : ''}`}
            onFocus={() => setActive(i)}
          >
            <div className="mapping-row__head">
              <input
                className="mono"
                aria-label={`Target ${prefix}${i + 1}`}
                placeholder="target.path"
                value={r.target}
                onChange={(e) => update(i, { ...r, target: e.target.value })}
              />
              <select
                aria-label={`Kind of ${name}`}
                value={r.each ? 'each' : 'value'}
                onChange={() => update(i, toggleEach(r))}
              >
                <option value="value">Value</option>
                {(r.each || depthLeft > 0) && <option value="each">List: one per item</option>}
              </select>
              <span className="mapping-row__tools">
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Move ${name} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Move ${name} down`}
                  disabled={i === rows.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove target ${name}`}
                  onClick={() => onChange(rows.filter((_, j) => j !== i))}
                >
                  ✕
                </Button>
              </span>
            </div>
            {r.each ? (
              <div className="mapping-row__each">
                <JsonInput
                  label={`Items for ${name}`}
                  rows={1}
                  value={r.each.items}
                  onChange={(v) =>
                    update(i, { ...r, each: { items: v, fields: r.each?.fields ?? [] } })
                  }
                />
                <p className={`mapping-row__preview${preview.ok ? '' : ' field-error'}`}>
                  {preview.ok && Array.isArray(preview.value)
                    ? `= ${preview.value.length} item${preview.value.length === 1 ? '' : 's'}`
                    : `= ${short(preview)}`}
                </p>
                <MappingRows
                  rows={r.each.fields}
                  data={itemScope(r, data, tables, now)}
                  depthLeft={depthLeft - 1}
                  prefix={`${name} `}
                  onChange={(fields) =>
                    update(i, { ...r, each: { items: r.each?.items ?? null, fields } })
                  }
                />
              </div>
            ) : (
              <>
                <div className="mapping-row__expr">
                  <JsonInput
                    label={`Expression for ${name}`}
                    rows={2}
                    value={r.expression}
                    onChange={(v) => update(i, { ...r, expression: v })}
                  />
                  <select
                    aria-label={`Operation for ${name}`}
                    value=""
                    onChange={(e) => {
                      if (e.target.value !== '')
                        update(i, {
                          ...r,
                          expression: wrapInOperation(e.target.value, r.expression),
                        });
                    }}
                  >
                    <option value="">ƒ Apply…</option>
                    {CROSSDOCK_OPERATIONS.map((o) => (
                      <option key={o.name} value={o.name} title={o.description}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                </div>
                <output
                  className={`mapping-row__preview${preview.ok ? '' : ' field-error'}`}
                  aria-label={`Preview of ${name}`}
                >
                  = {short(preview)}
                </output>
              </>
            )}
          </div>
        );
      })}
      <Button
        size="sm"
        variant="ghost"
        onClick={() => onChange([...rows, { target: '', expression: { var: '' } }])}
      >
        + Target field{prefix !== '' ? ` in ${prefix.trim()}` : ''}
      </Button>
    </div>
  );
}

/**
 * The mapping editor: the source sample, then the target rows. A row is a value (an expression,
 * with an operation picker and a live preview against the sample) or a list built one element per
 * source item (`each`), whose own rows read `item`, `index` and `root`.
 */
export function MappingEditor(props: FieldProps) {
  const { formData, onChange, fieldPathId, uiSchema } = props;
  const source = useContext(MappingSourceContext);
  const depth =
    typeof uiSchema?.['ui:options']?.eachDepth === 'number' ? uiSchema['ui:options'].eachDepth : 0;
  const list = mappingRows(formData);
  const set = (next: MappingRow[]) => onChange(next as unknown as JsonValue, fieldPathId.path);
  return (
    <div className="mapping-editor" id={fieldPathId.$id}>
      <MappingRows rows={list} onChange={set} data={source} depthLeft={depth} prefix="" />
    </div>
  );
}
