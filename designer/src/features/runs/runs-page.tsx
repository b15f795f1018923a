import { useCallback, useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Timestamp } from '../../components/timestamp';
import type { RunFilters } from '../../lib/api-client';
import { RUN_STATUSES, type RunSummary } from '../../lib/api-types';
import { useServices } from '../../store/editor-context';
import { statusTone } from './step-list';
import './runs.css';

function failureOf(run: RunSummary): { node: string; error: string } | null {
  return run.failure ? { node: run.failure.nodeId, error: run.failure.error.message } : null;
}

function duration(run: RunSummary): string {
  if (!run.endedAt) return '–';
  const ms = Date.parse(run.endedAt) - Date.parse(run.createdAt);
  if (!Number.isFinite(ms) || ms < 0) return '–';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** How often the run lists refresh on their own. */
export const REFRESH_MS = 5000;

/** A table of runs with their status, failed node, error, duration, business keys and times. */
export function RunTable(props: {
  runs: RunSummary[];
  label: string;
  hrefFor: (run: RunSummary) => string;
}) {
  return (
    <table className="table" aria-label={props.label}>
      <thead>
        <tr>
          <th>Run</th>
          <th>Flow</th>
          <th>Status</th>
          <th>Failed node</th>
          <th>Error</th>
          <th>Duration</th>
          <th>Business keys</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.length === 0 && (
          <tr>
            <td colSpan={8} className="muted">
              Nothing here.
            </td>
          </tr>
        )}
        {props.runs.map((r) => (
          <tr key={r.id}>
            <td>
              <a
                className="table__primary mono"
                href={props.hrefFor(r)}
                aria-label={`Open run ${r.id}`}
              >
                {r.id.length > 14 ? `${r.id.slice(0, 14)}…` : r.id}
              </a>
            </td>
            <td>
              {r.flowId} <span className="muted mono">v{r.version}</span>
            </td>
            <td>
              <Badge tone={statusTone(r.status)}>{r.status}</Badge>
            </td>
            <td className="mono small">{failureOf(r)?.node ?? ''}</td>
            <td className="small run-error" title={failureOf(r)?.error ?? ''}>
              {failureOf(r)?.error ?? ''}
            </td>
            <td className="small">{duration(r)}</td>
            <td className="mono small">
              {Object.entries(r.businessKeys)
                .map(([k, v]) => `${k}=${v}`)
                .join('  ')}
            </td>
            <td>
              <Timestamp value={r.createdAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Runs, filtered by flow, status, business key and time, page by page. */
export function RunsPage() {
  const { api } = useServices();
  const [filters, setFilters] = useState<RunFilters>({});
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (f: RunFilters, more?: string) => {
      api
        .listRuns(more ? { ...f, cursor: more } : f)
        .then((page) => {
          setRuns((prev) => (more ? [...prev, ...page.runs] : page.runs));
          setCursor(page.nextCursor);
          setError(null);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    },
    [api],
  );
  useEffect(() => load({}), [load]);
  // The list follows new runs by itself (the first page, with the filters last applied).
  const [applied, setApplied] = useState<RunFilters>({});
  useEffect(() => {
    const timer = setInterval(() => {
      if (!cursor) load(applied);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, applied, cursor]);

  const set = (k: keyof RunFilters, v: string) =>
    setFilters((f) => ({ ...f, [k]: v || undefined }));
  const toIso = (v: string) => (v ? new Date(v).toISOString() : '');
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>Runs</h1>
          <p className="muted">Every run of every deployed flow and test run, newest first.</p>
        </div>
      </header>
      <form
        className="filters"
        aria-label="Run filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
          load(filters);
        }}
      >
        <label className="field">
          <span className="control-label">Flow</span>
          <input
            className="form-control"
            value={filters.flow ?? ''}
            onChange={(e) => set('flow', e.target.value)}
          />
        </label>
        <label className="field">
          <span className="control-label">Status</span>
          <select
            className="form-control"
            value={filters.status ?? ''}
            onChange={(e) => set('status', e.target.value)}
          >
            <option value="">Any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="control-label">Business key</span>
          <input
            className="form-control"
            placeholder="e.g. SO-100045"
            value={filters.key ?? ''}
            onChange={(e) => set('key', e.target.value)}
          />
        </label>
        <label className="field">
          <span className="control-label">From</span>
          <input
            className="form-control"
            type="datetime-local"
            onChange={(e) => set('from', toIso(e.target.value))}
          />
        </label>
        <label className="field">
          <span className="control-label">To</span>
          <input
            className="form-control"
            type="datetime-local"
            onChange={(e) => set('to', toIso(e.target.value))}
          />
        </label>
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
      </form>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <RunTable runs={runs} label="Runs" hrefFor={(r) => `#/runs/${encodeURIComponent(r.id)}`} />
      {cursor && (
        <Button variant="ghost" onClick={() => load(filters, cursor)}>
          Load more
        </Button>
      )}
    </div>
  );
}
