import type { JsonValue } from '@crossdock/nodes';
import { useCallback, useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ApiError } from '../../lib/api-client';
import type { ConnectionInfo } from '../../lib/api-types';
import { useServices } from '../../store/editor-context';
import { JsonInput } from '../inspector/json-input';
import './connections.css';

const TEMPLATE: JsonValue = {
  system: 'wms',
  baseUrl: 'http://localhost:4002',
  auth: { type: 'bearer', tokenSecret: 'WMS_TOKEN' },
};

function problemsOf(e: unknown): string {
  if (e instanceof ApiError && Array.isArray(e.details)) {
    const list = e.details as { message?: unknown }[];
    return list.map((d) => String(d.message ?? '')).join(' ');
  }
  if (e instanceof ApiError && typeof e.details === 'object' && e.details !== null) {
    const d = (e.details as { diagnostics?: { message?: unknown }[] }).diagnostics;
    if (Array.isArray(d)) return d.map((x) => String(x.message ?? '')).join(' ');
  }
  return e instanceof Error ? e.message : String(e);
}

/** Add or edit one connection of the development environment file, validated like the file. */
function ConnectionDialog(props: {
  initial: ConnectionInfo | null;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const { api } = useServices();
  const [name, setName] = useState(props.initial?.name ?? '');
  // A connection is the environment file's plain JSON object, edited here as such.
  const [definition, setDefinition] = useState<JsonValue>(
    (props.initial?.definition as JsonValue | undefined) ?? TEMPLATE,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.saveConnection(name.trim(), definition);
      props.onSaved(name.trim());
    } catch (e) {
      setError(problemsOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      title={props.initial ? `Edit connection ${props.initial.name}` : 'Add connection'}
      onClose={props.onClose}
      footer={
        <>
          <Button variant="ghost" onClick={props.onClose}>
            Cancel
          </Button>
          <Button variant="primary" disabled={busy || name.trim() === ''} onClick={save}>
            Save connection
          </Button>
        </>
      }
    >
      <label className="field">
        <span className="control-label">Name</span>
        <input
          className="form-control mono"
          value={name}
          disabled={props.initial !== null}
          onChange={(e) => setName(e.target.value)}
          placeholder="wms"
        />
      </label>
      <p className="field-description">
        System, base URL and auth. Secrets are named here and set in the process environment or the
        secrets file, never written into the file.
      </p>
      <JsonInput
        label="Connection definition"
        value={definition}
        onChange={setDefinition}
        rows={10}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

/** The environment's connections: what each binds to and whether its secrets are set. */
export function ConnectionsPage() {
  const { api } = useServices();
  const [data, setData] = useState<Awaited<ReturnType<typeof api.connections>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<ConnectionInfo | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .connections()
      .then(setData)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api]);
  useEffect(load, [load]);
  return (
    <div className="page connections-page">
      <header className="page__header">
        <h1>Connections{data ? ` of ${data.environment}` : ''}</h1>
        {data?.editable && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            Add connection
          </Button>
        )}
      </header>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <p className="field-error">{error}</p>}
      {data && !data.editable && (
        <p className="muted">
          This environment is read-only here: its connections change in its file, through review.
        </p>
      )}
      <table className="table" aria-label="Connections">
        <thead>
          <tr>
            <th>Name</th>
            <th>System</th>
            <th>Base URL</th>
            <th>Auth</th>
            <th>Secrets</th>
            {data?.editable && <th />}
          </tr>
        </thead>
        <tbody>
          {data?.connections.map((c) => (
            <tr key={c.name}>
              <td className="mono">{c.name}</td>
              <td>{c.system}</td>
              <td className="mono">{c.baseUrl}</td>
              <td>{c.auth}</td>
              <td>
                {c.secrets.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  c.secrets.map((s) => (
                    <span key={s.name} className="secret-chip">
                      <span className="mono">{s.name}</span>{' '}
                      <Badge tone={s.set ? 'success' : 'danger'}>{s.set ? 'set' : 'not set'}</Badge>
                    </span>
                  ))
                )}
              </td>
              {data.editable && (
                <td>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Edit connection ${c.name}`}
                    onClick={() => setEditing(c)}
                  >
                    Edit
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <ConnectionDialog
          initial={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            setEditing(null);
            setNotice(`Connection ${name} saved; the runtime uses it from now on.`);
            load();
          }}
        />
      )}
    </div>
  );
}
