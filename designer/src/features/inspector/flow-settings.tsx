import {
  type Expression,
  type FlowDocument,
  isJsonObject,
  type FlowSettings as Settings,
} from '@crossdock/nodes';
import { type EditorStore, editDocument } from '../../store/editor-store';
import { JsonInput } from './json-input';
import { wholeNumber } from './node-policy';

function withSetting<K extends keyof Settings>(
  settings: Settings,
  key: K,
  value: Settings[K] | undefined,
): Settings {
  const next = { ...settings };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The flow's own fields, shown when no single node is selected. */
export function FlowSettings(props: { store: EditorStore; doc: FlowDocument; count: number }) {
  const { store, doc, count } = props;
  const set = (patch: Partial<FlowDocument>) => editDocument(store, (d) => ({ ...d, ...patch }));
  const setting = <K extends keyof Settings>(key: K, value: Settings[K] | undefined) =>
    editDocument(store, (d) => ({ ...d, settings: withSetting(d.settings, key, value) }));
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
      <h4 className="inspector__section">Run settings</h4>
      <div className="field">
        <span className="control-label">Idempotency key</span>
        <span className="field-description">
          json-logic over the trigger payload; a repeated key starts no second run.
        </span>
        <JsonInput
          label="Idempotency key"
          rows={3}
          value={doc.settings.idempotencyKey}
          onChange={(v: Expression) => setting('idempotencyKey', v)}
          onClear={() => setting('idempotencyKey', undefined)}
        />
      </div>
      <div className="field">
        <span className="control-label">Ordering key</span>
        <span className="field-description">
          json-logic over the trigger payload; runs with the same key start in the order they
          arrived and never overlap (pick, pack, ship of one order).
        </span>
        <JsonInput
          label="Ordering key"
          rows={3}
          value={doc.settings.orderingKey}
          onChange={(v: Expression) => setting('orderingKey', v)}
          onClear={() => setting('orderingKey', undefined)}
        />
      </div>
      <div className="field">
        <span className="control-label">Business keys</span>
        <span className="field-description">
          Named json-logic expressions, recorded on each run and searchable in Runs.
        </span>
        <JsonInput
          label="Business keys"
          rows={4}
          value={doc.settings.businessKeys}
          onChange={(v) =>
            isJsonObject(v) ? setting('businessKeys', v as Record<string, Expression>) : undefined
          }
          onClear={() => setting('businessKeys', undefined)}
        />
      </div>
      <label className="field">
        <span className="control-label">Priority (1 most urgent – 10)</span>
        <input
          className="form-control"
          type="number"
          min={1}
          max={10}
          value={doc.settings.priority ?? ''}
          onChange={(e) =>
            setting('priority', e.target.value === '' ? undefined : Number(e.target.value))
          }
        />
      </label>
      {(
        [
          ['runTimeoutMs', 'Run timeout (ms): longest a whole run may take'],
          ['nodeTimeoutMs', 'Node timeout (ms): default for one attempt of a node'],
        ] as const
      ).map(([key, label]) => (
        <label className="field" key={key}>
          <span className="control-label">{label}</span>
          <input
            className="form-control"
            type="number"
            min={1}
            value={doc.settings[key] ?? ''}
            onChange={(e) => {
              const ms = wholeNumber(e.target.value);
              setting(key, ms === undefined || ms < 1 ? undefined : ms);
            }}
          />
        </label>
      ))}
      <p className="muted">Select a node to edit its configuration.</p>
    </div>
  );
}
