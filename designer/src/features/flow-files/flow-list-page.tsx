import { useCallback, useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { Timestamp } from '../../components/timestamp';
import type { FlowFileSummary } from '../../lib/api-types';
import { navigate } from '../../lib/router';
import { useServices } from '../../store/editor-context';
import { openDocument } from '../../store/editor-store';
import { statusTone } from '../runs/step-list';
import { type FlowActivity, useFlowActivity } from './flow-activity';
import { duplicateFlow, importFlowText, newFlow, slugify } from './flow-io';
import './flow-list.css';

function ActiveVersion({ file, activity }: { file: FlowFileSummary; activity?: FlowActivity }) {
  if (!activity) return <span className="muted">…</span>;
  if (!activity.active) return <span className="muted">not deployed</span>;
  return (
    <>
      <span className="mono">{activity.active}</span>
      {activity.active !== file.version && (
        <div className="muted small" title="The file's version is not the one new runs start on">
          file {file.version} not active
        </div>
      )}
    </>
  );
}

function LastRun({ activity }: { activity?: FlowActivity }) {
  const run = activity?.lastRun;
  if (!activity) return <span className="muted">…</span>;
  if (!run) return <span className="muted">no runs</span>;
  return (
    <a
      href={`#/runs/${encodeURIComponent(run.id)}`}
      className="flow-last-run"
      aria-label={`Last run of ${run.flowId}: ${run.status}`}
    >
      <Badge tone={statusTone(run.status)}>{run.status}</Badge>
      {run.test === true && <span className="muted small">test</span>}
      <Timestamp value={run.createdAt} />
    </a>
  );
}

/** The flows in `flows/`: validity, version, last change; open, create, duplicate, delete. */
export function FlowListPage() {
  const { api, editor, environment } = useServices();
  const editable = environment?.editable ?? true;
  const [files, setFiles] = useState<FlowFileSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<FlowFileSummary | null>(null);

  const load = useCallback(() => {
    api
      .listFlowFiles()
      .then(setFiles)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api]);
  useEffect(load, [load]);

  const create = () => {
    const id = slugify(name);
    openDocument(editor, null, newFlow(id, name.trim() || 'New flow'), null);
    setCreating(false);
    navigate({ page: 'editor', flowId: null });
  };

  const duplicate = async (f: FlowFileSummary) => {
    try {
      const file = await api.getFlowFile(f.id);
      if (file.flow === null) throw new Error(`${f.id}.flow.json is not valid JSON; fix it first.`);
      const taken = new Set(files?.map((x) => x.id));
      let id = `${f.id}-copy`;
      for (let i = 2; taken.has(id); i++) id = `${f.id}-copy-${i}`;
      openDocument(editor, null, duplicateFlow(file.flow, id), null);
      navigate({ page: 'editor', flowId: null });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const activity = useFlowActivity(files?.map((f) => f.id) ?? null);
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const shown = files?.filter(
    (f) =>
      needle === '' || f.name.toLowerCase().includes(needle) || f.id.toLowerCase().includes(needle),
  );

  const remove = async (f: FlowFileSummary) => {
    try {
      await api.deleteFlowFile(f.id);
      setDeleting(null);
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const r = importFlowText(await file.text());
    if ('error' in r) setError(`Import failed: ${r.error}`);
    else {
      openDocument(editor, null, r.doc, null);
      navigate({ page: 'editor', flowId: null });
    }
  };

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>Flows</h1>
          <p className="muted">Flow files in this environment’s flows/ folder.</p>
        </div>
        <div className="page__actions">
          <label className="btn btn--secondary btn--md">
            Import…
            <input
              type="file"
              accept=".json"
              hidden
              onChange={(e) => void importFile(e.target.files?.[0])}
            />
          </label>
          {editable && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New flow
            </Button>
          )}
        </div>
      </header>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <input
        className="form-control flow-search"
        type="search"
        aria-label="Search flows"
        placeholder="Search flows by name or id…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <table className="table" aria-label="Flows">
        <thead>
          <tr>
            <th>Name</th>
            <th>Version</th>
            <th>Active</th>
            <th>Last run</th>
            <th>Last change</th>
            <th>State</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {files === null && (
            <tr>
              <td colSpan={7} className="muted">
                Loading…
              </td>
            </tr>
          )}
          {files?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No flows yet.
              </td>
            </tr>
          )}
          {shown?.map((f) => (
            <tr key={f.id}>
              <td>
                <a href={`#/flows/${encodeURIComponent(f.id)}`} className="table__primary">
                  {f.name}
                </a>
                <div className="muted mono small">{f.id}</div>
              </td>
              <td className="mono">{f.version}</td>
              <td>
                <ActiveVersion file={f} activity={activity?.[f.id]} />
              </td>
              <td>
                <LastRun activity={activity?.[f.id]} />
              </td>
              <td>
                <Timestamp value={f.updatedAt} />
              </td>
              <td>
                {f.valid ? (
                  <Badge tone="success">valid</Badge>
                ) : (
                  <Badge tone="danger">
                    {f.errors} error{f.errors === 1 ? '' : 's'}
                  </Badge>
                )}
                {f.warnings > 0 && <Badge tone="warning">{f.warnings} warnings</Badge>}
              </td>
              <td className="table__actions">
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Duplicate ${f.name}`}
                  onClick={() => void duplicate(f)}
                >
                  Duplicate
                </Button>
                {editable && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Delete ${f.name}`}
                    onClick={() => setDeleting(f)}
                  >
                    Delete
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog
        title="New flow"
        open={creating}
        onClose={() => setCreating(false)}
        footer={
          <>
            <Button onClick={() => setCreating(false)}>Cancel</Button>
            <Button variant="primary" disabled={name.trim() === ''} onClick={create}>
              Create
            </Button>
          </>
        }
      >
        <label className="field">
          <span className="control-label">Flow name</span>
          <input className="form-control" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted small">
          File: <span className="mono">flows/{slugify(name)}.flow.json</span>
        </p>
      </Dialog>
      <Dialog
        title={`Delete ${deleting?.name ?? ''}?`}
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" onClick={() => deleting && void remove(deleting)}>
              Delete
            </Button>
          </>
        }
      >
        <p>
          This removes <span className="mono">flows/{deleting?.id}.flow.json</span>. Deployed
          versions stay deployed.
        </p>
      </Dialog>
    </div>
  );
}
