import type { Diagnostic } from '@crossdock/nodes';
import { useStore } from '../../store/create-store';
import { type EditorStore, focusField, selectDoc } from '../../store/editor-store';

/** The config path of a diagnostic inside its node, e.g. `["connection"]`. */
export function configPointer(d: Diagnostic): (string | number)[] {
  const p = d.pointer;
  return p[0] === 'nodes' && p[2] === 'config' ? p.slice(3) : [];
}

/**
 * The validator names nodes by id (`Node "n-map"`), which an analyst never sees: the panel says
 * the node's name instead.
 */
export function withNodeNames(message: string, names: ReadonlyMap<string, string>): string {
  return message.replace(/"([^"]+)"/g, (whole, id: string) => {
    const name = names.get(id);
    return name === undefined ? whole : `“${name}”`;
  });
}

/** Every problem of the flow; a click selects the node, centres it and focuses the field. */
export function ProblemsPanel({ store }: { store: EditorStore }) {
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const ms = useStore(store, (s) => s.validationMs);
  const doc = useStore(store, selectDoc);
  const names = new Map((doc?.nodes ?? []).map((n) => [n.id, n.name] as const));
  return (
    <section
      className="problems"
      aria-label="Problems"
      data-validation-ms={ms === null ? undefined : ms.toFixed(2)}
    >
      {diagnostics.length === 0 ? (
        <p className="problems__ok" role="status">
          <span className="dot dot--success" aria-hidden="true" /> No problems: the flow is valid.
        </p>
      ) : (
        <ul className="problems__list">
          {diagnostics.map((d) => (
            <li key={`${d.path}|${d.code}|${d.message}`}>
              <button
                type="button"
                className={`problem problem-row--${d.severity}`}
                disabled={d.nodeId === undefined}
                onClick={() => d.nodeId && focusField(store, d.nodeId, configPointer(d))}
              >
                <span className={`severity severity--${d.severity}`}>{d.severity}</span>
                <span className="problem__message">{withNodeNames(d.message, names)}</span>
                <span className="problem__code mono">{d.code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
