import { isJsonObject, type JsonValue } from '@crossdock/nodes';
import type { FieldProps } from '@rjsf/utils';
import { createContext, useContext, useState } from 'react';
import { Button } from '../../components/button';
import { JsonInput } from './json-input';

/** The message a mapping reads, for the left-hand side of the editor (a sample or a trace input). */
export const MappingSourceContext = createContext<JsonValue | undefined>(undefined);

/** One field mapping: `expression`, or `each` (an array built per source item); kept as written. */
interface MappingRow {
  target: string;
  expression?: JsonValue;
  each?: JsonValue;
  [key: string]: JsonValue | undefined;
}

function rows(value: unknown): MappingRow[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((r) => ({
    ...r,
    target: typeof r.target === 'string' ? r.target : '',
  }));
}

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

/**
 * The mapping editor: the source sample on the left, the target fields with their expressions on
 * the right. Clicking a source field maps it into the selected target row.
 */
export function MappingEditor(props: FieldProps) {
  const { formData, onChange, fieldPathId } = props;
  const source = useContext(MappingSourceContext);
  const list = rows(formData);
  const [active, setActive] = useState<number | null>(null);
  const set = (next: MappingRow[]) => onChange(next, fieldPathId.path);
  const update = (i: number, patch: Partial<MappingRow>) =>
    set(list.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const paths = sourcePaths(source);
  const pick = (path: string) => {
    if (active !== null && list[active]) update(active, { expression: { var: path } });
    else set([...list, { target: path.split('.').pop() ?? path, expression: { var: path } }]);
  };
  return (
    <div className="mapping-editor" id={fieldPathId.$id}>
      <section className="mapping-editor__source" aria-label="Source sample">
        <h4>Source</h4>
        {paths.length === 0 ? (
          <p className="muted">Run the flow or pick a sample to see source fields.</p>
        ) : (
          <ul>
            {paths.map((p) => (
              <li key={p.path}>
                <button
                  type="button"
                  className="source-field"
                  onClick={() => pick(p.path)}
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
      <div className="mapping-editor__targets">
        <h4>Target fields</h4>
        {list.map((r, i) => (
          // biome-ignore lint/a11y/noStaticElementInteractions: focus bubbles up from the row's inputs to mark the row a source click fills
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are ordered and have no id
            key={i}
            className={`mapping-row${active === i ? ' mapping-row--active' : ''}`}
            onFocus={() => setActive(i)}
          >
            <input
              className="mono"
              aria-label={`Target ${i + 1}`}
              placeholder="target.path"
              value={r.target}
              onChange={(e) => update(i, { target: e.target.value })}
            />
            <span className="mapping-row__arrow" aria-hidden="true">
              ←
            </span>
            {r.each !== undefined ? (
              <JsonInput
                compact
                label={`Each for ${r.target || `target ${i + 1}`}`}
                value={r.each}
                onChange={(v) => update(i, { each: v })}
              />
            ) : (
              <JsonInput
                compact
                label={`Expression for ${r.target || `target ${i + 1}`}`}
                value={r.expression}
                onChange={(v) => update(i, { expression: v })}
              />
            )}
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove target ${r.target || i + 1}`}
              onClick={() => set(list.filter((_, j) => j !== i))}
            >
              ✕
            </Button>
          </div>
        ))}
        <Button
          size="sm"
          variant="ghost"
          onClick={() => set([...list, { target: '', expression: { var: '' } }])}
        >
          + Target field
        </Button>
      </div>
    </div>
  );
}
