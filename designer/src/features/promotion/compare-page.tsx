import { catalog, describeFlowChange, diffFlows, type FlowDocument } from '@crossdock/nodes';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import { createEditorStore, openDocument, selectDoc } from '../../store/editor-store';
import { FlowCanvas } from '../canvas/flow-canvas';
import { markStyles, nodeMarks } from './version-marks';

export interface ComparePageProps {
  flowId: string;
  from: string;
  to: string;
}

/**
 * Two deployed versions of a flow: the newer drawn on the canvas with added and changed nodes
 * outlined, and every change in the analyst's terms (the same lines `crossdock diff` prints).
 */
export function ComparePage({ flowId, from, to }: ComparePageProps) {
  const { api } = useServices();
  const store = useMemo(createEditorStore, []);
  const doc = useStore(store, selectDoc);
  const [pair, setPair] = useState<{ a: FlowDocument; b: FlowDocument } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    Promise.all([api.flowVersion(flowId, from), api.flowVersion(flowId, to)])
      .then(([a, b]) => {
        if (cancelled) return;
        openDocument(store, null, b, null);
        setPair({ a, b });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, flowId, from, to, store]);
  const changes = useMemo(() => (pair ? diffFlows(pair.a, pair.b, { catalog }) : []), [pair]);
  const marks = useMemo(() => nodeMarks(changes), [changes]);
  return (
    <div className="page page--full version-compare">
      <header className="page__header">
        <div>
          <a href={`#/flows/${encodeURIComponent(flowId)}`} className="muted small">
            ← {flowId}
          </a>
          <h1>
            {flowId} <span className="mono">{from}</span> → <span className="mono">{to}</span>
          </h1>
        </div>
      </header>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <style>{markStyles(marks, (id) => CSS.escape(id))}</style>
      <div className="run-view__body">
        <div className="run-view__canvas">
          {doc ? (
            <ReactFlowProvider>
              <FlowCanvas store={store} readOnly />
            </ReactFlowProvider>
          ) : (
            !error && <div className="page-loading">Loading both versions…</div>
          )}
        </div>
        <section className="run-view__steps" aria-label="Changes">
          {pair && changes.length === 0 && <p className="muted">No changes.</p>}
          <ul>
            {changes.map((c, i) => (
              <li
                // Changes have no id of their own; their order is stable for a pair.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                key={i}
                className={`diff-item diff-item--${'nodeId' in c && marks.get(c.nodeId) === 'added' ? 'added' : 'changed'}`}
              >
                {describeFlowChange(c)}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
