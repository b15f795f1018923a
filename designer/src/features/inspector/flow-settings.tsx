import type { FlowDocument } from '@crossdock/nodes';
import { type EditorStore, editDocument } from '../../store/editor-store';

/** The flow's own fields, shown when no single node is selected. */
export function FlowSettings(props: { store: EditorStore; doc: FlowDocument; count: number }) {
  const { store, doc, count } = props;
  const set = (patch: Partial<FlowDocument>) => editDocument(store, (d) => ({ ...d, ...patch }));
  return (
    <div className="inspector__flow">
      <header className="inspector__header">
        <div>
          <div className="inspector__type">Flow</div>
          <div className="inspector__id mono">{doc.id}</div>
        </div>
      </header>
      {count > 1 && <p className="muted">{count} nodes selected.</p>}
      <label className="field">
        <span className="control-label">Flow name</span>
        <input
          className="form-control"
          value={doc.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </label>
      <label className="field">
        <span className="control-label">Description</span>
        <textarea
          className="form-control"
          rows={3}
          value={doc.description ?? ''}
          onChange={(e) => set({ description: e.target.value === '' ? undefined : e.target.value })}
        />
      </label>
      <dl className="facts">
        <dt>Version</dt>
        <dd className="mono">{doc.version}</dd>
        <dt>Nodes</dt>
        <dd>{doc.nodes.length}</dd>
        <dt>Edges</dt>
        <dd>{doc.edges.length}</dd>
      </dl>
      <p className="muted">Select a node to edit its configuration.</p>
    </div>
  );
}
