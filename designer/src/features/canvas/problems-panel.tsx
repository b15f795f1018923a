import type { Diagnostic } from '@crossdock/nodes';
import { useStore } from '../../store/create-store';
import { type EditorStore, focusField } from '../../store/editor-store';

/** The config path of a diagnostic inside its node, e.g. `["connection"]`. */
export function configPointer(d: Diagnostic): (string | number)[] {
  const p = d.pointer;
  return p[0] === 'nodes' && p[2] === 'config' ? p.slice(3) : [];
}

/** Every problem of the flow; a click selects the node, centres it and focuses the field. */
export function ProblemsPanel({ store }: { store: EditorStore }) {
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const ms = useStore(store, (s) => s.validationMs);
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
                <span className="problem__message">{d.message}</span>
                <span className="problem__code mono">{d.code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
