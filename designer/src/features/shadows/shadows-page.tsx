import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import { useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { navigate, routeHref } from '../../lib/router';
import type { CutoverInfo, ShadowReportInfo, ShadowsApi } from '../../lib/shadows-api';
import { useServices } from '../../store/editor-context';
import { usePoll } from '../control-tower/use-poll';
import './shadows.css';

export interface ShadowsPageProps {
  flowId: string | null;
  shadowId: string | null;
}

const runHref = (runId: string) => routeHref({ page: 'run', runId });
const show = (v: JsonValue) => (v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const keyText = (keys: Record<string, string>) =>
  Object.entries(keys)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '(no business key)';

/** Starts a shadow of the flow's working copy (the file the analyst edits here). */
function StartForm(props: {
  shadows: ShadowsApi;
  flowId: string;
  onStarted: (id: string) => void;
}) {
  const { api } = useServices();
  const [draft, setDraft] = useState<FlowDocument | null>(null);
  const [sample, setSample] = useState('100');
  const [ignore, setIgnore] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(null);
    api
      .getFlowFile(props.flowId)
      .then((f) => setDraft(f.flow))
      .catch(() => setDraft(null));
  }, [api, props.flowId]);
  const start = async () => {
    if (!draft) return;
    setError(null);
    try {
      const shadow = await props.shadows.start(props.flowId, draft, {
        sample: Number(sample) / 100,
        ignore: ignore
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
      });
      props.onStarted(shadow.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="shadow-card" aria-label="Start a shadow">
      <h2 className="shadow-card__title">Start a shadow</h2>
      {draft ? (
        <p className="small">
          Runs every trigger of the active version through the working copy{' '}
          <span className="mono">{draft.version}</span> as well, without sending anything, and
          compares what both would send.
        </p>
      ) : (
        <p className="muted small">No working copy of {props.flowId} in flows/ to shadow.</p>
      )}
      <label className="field">
        <span className="control-label">Share of runs (%)</span>
        <input
          className="form-control"
          type="number"
          min={1}
          max={100}
          value={sample}
          onChange={(e) => setSample(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="control-label">Ignore fields (comma-separated)</span>
        <input
          className="form-control"
          placeholder="sentAt, body.lines[].id"
          value={ignore}
          onChange={(e) => setIgnore(e.target.value)}
        />
      </label>
      <Button variant="primary" disabled={!draft} onClick={() => void start()}>
        Shadow {draft ? draft.version : 'working copy'}
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Cutover({ cutover }: { cutover: CutoverInfo | null }) {
  if (!cutover) {
    return (
      <section className="shadow-card" aria-label="Cutover criterion">
        <h2 className="shadow-card__title">Cutover criterion</h2>
        <p className="muted small">
          This environment sets none (settings.cutover in its environment file).
        </p>
      </section>
    );
  }
  return (
    <section className="shadow-card" aria-label="Cutover criterion">
      <header className="shadow-card__header">
        <h2 className="shadow-card__title">Cutover criterion</h2>
        <Badge tone={cutover.met ? 'success' : 'warning'}>{cutover.met ? 'met' : 'not met'}</Badge>
      </header>
      <ul className="shadow-checks">
        {cutover.checks.map((c) => (
          <li key={c.name} data-met={c.met}>
            <span aria-hidden="true">{c.met ? '✓' : '✗'}</span> {c.detail}
          </li>
        ))}
      </ul>
      <p className="muted small">
        {cutover.criterion.requireForPromotion
          ? 'Promotion of this flow here waits until a shadow of the same content meets it.'
          : 'Shown for information: promotion here does not require it.'}
      </p>
    </section>
  );
}

/** Outcomes per minute as stacked bars: identical, differing, only on one side. */
function Timeline({ rows }: { rows: ShadowReportInfo['timeline'] }) {
  const max = Math.max(1, ...rows.map((r) => Object.values(r.counts).reduce((a, b) => a + b, 0)));
  return (
    <div className="shadow-timeline" role="img" aria-label="Outcomes per minute">
      {rows.map((r) => (
        <div
          key={r.at}
          className="shadow-timeline__col"
          title={`${r.at}: ${JSON.stringify(r.counts)}`}
        >
          {(['only-in-b', 'only-in-a', 'differing', 'identical'] as const).map((o) => (
            <span
              key={o}
              className={`shadow-timeline__bar shadow-timeline__bar--${o}`}
              style={{ height: `${((r.counts[o] ?? 0) / max) * 100}%` }}
            />
          ))}
          <span className="shadow-timeline__label">{r.at.slice(11, 16)}</span>
        </div>
      ))}
    </div>
  );
}

function Report(props: {
  shadows: ShadowsApi;
  flowId: string;
  shadowId: string;
  onStopped: () => void;
}) {
  const { data, error, refresh } = usePoll(
    () => props.shadows.report(props.flowId, props.shadowId),
    [props.flowId, props.shadowId],
  );
  if (!data) return <p className="muted">{error ?? 'Loading the report…'}</p>;
  const { shadow, counts } = data;
  const percent = counts.compared ? ((100 * counts.identical) / counts.compared).toFixed(1) : '—';
  const stop = async () => {
    await props.shadows.stop(props.flowId, props.shadowId);
    refresh();
    props.onStopped();
  };
  return (
    <div className="shadow-report">
      <header className="shadow-report__header">
        <div>
          <h2>
            <span className="mono">{shadow.version}</span> beside{' '}
            <span className="mono">{shadow.activeVersion}</span>{' '}
            <Badge tone={shadow.status === 'running' ? 'running' : 'neutral'}>
              {shadow.status}
            </Badge>
          </h2>
          <p className="muted small">
            {shadow.id} · started {shadow.startedAt.slice(0, 16).replace('T', ' ')} by{' '}
            {shadow.startedBy} · {Math.round(shadow.sample * 100)}% of runs
            {shadow.ignore.length > 0 ? ` · ignoring ${shadow.ignore.join(', ')}` : ''}
          </p>
        </div>
        {shadow.status === 'running' && (
          <Button variant="danger" onClick={() => void stop()}>
            Stop shadow
          </Button>
        )}
      </header>
      <section className="shadow-tiles" aria-label="Counts">
        {[
          ['compared', counts.compared, `${counts.mirrored} mirrored`],
          ['identical', counts.identical, `${percent}%`],
          ['differing', counts.differing, 'fields or status'],
          [`only in ${shadow.activeVersion}`, counts.onlyInA, 'requests'],
          [`only in ${shadow.version}`, counts.onlyInB, 'requests'],
        ].map(([label, n, note]) => (
          <div
            key={String(label)}
            className="shadow-tile"
            data-testid={`count-${String(label).split(' ')[0]}`}
          >
            <span className="shadow-tile__n">{n}</span>
            <span className="shadow-tile__label">{label}</span>
            <span className="muted small">{note}</span>
          </div>
        ))}
      </section>
      <div className="shadow-grid">
        <div>
          <section className="shadow-card" aria-label="Differing fields">
            <h2 className="shadow-card__title">Differing fields, most frequent first</h2>
            {data.fields.length === 0 ? (
              <p className="muted small">No field differed so far.</p>
            ) : (
              <table className="table" data-testid="field-table">
                <thead>
                  <tr>
                    <th>Field</th>
                    <th>Runs</th>
                    <th>
                      Examples ({shadow.activeVersion} → {shadow.version})
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.fields.map((f) => (
                    <tr key={f.field}>
                      <td className="mono">{f.field}</td>
                      <td>{f.count}</td>
                      <td>
                        <ul className="shadow-examples">
                          {f.examples.map((e) => (
                            <li key={e.bRunId}>
                              {keyText(e.businessKeys)}: <span className="mono">{show(e.a)}</span> →{' '}
                              <span className="mono">{show(e.b)}</span>{' '}
                              <a href={runHref(e.aRunId)}>run {shadow.activeVersion}</a> ·{' '}
                              <a href={runHref(e.bRunId)}>run {shadow.version}</a>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="shadow-card" aria-label="Runs that differ">
            <h2 className="shadow-card__title">Runs that differ ({data.differences.length})</h2>
            <table className="table" data-testid="difference-table">
              <thead>
                <tr>
                  <th>Business key</th>
                  <th>Outcome</th>
                  <th>Fields</th>
                  <th>Runs</th>
                </tr>
              </thead>
              <tbody>
                {data.differences.slice(0, 50).map((d) => (
                  <tr key={d.bRunId}>
                    <td>{keyText(d.businessKeys)}</td>
                    <td>
                      <Badge tone={d.outcome === 'differing' ? 'warning' : 'info'}>
                        {d.outcome}
                      </Badge>
                    </td>
                    <td className="mono small">
                      {d.differences
                        .map((x) => `${x.field}: ${show(x.a)} → ${show(x.b)}`)
                        .join('; ') ||
                        `${d.onlyInA} only in ${shadow.activeVersion}, ${d.onlyInB} only in ${shadow.version}`}
                    </td>
                    <td className="small">
                      <a href={runHref(d.aRunId)}>{shadow.activeVersion}</a> ·{' '}
                      <a href={runHref(d.bRunId)}>{shadow.version}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
        <div>
          <Cutover cutover={data.cutover} />
          <section className="shadow-card" aria-label="Over time">
            <h2 className="shadow-card__title">Over time</h2>
            <Timeline rows={data.timeline} />
            <p className="shadow-legend small">
              <span className="shadow-legend__swatch shadow-timeline__bar--identical" /> identical{' '}
              <span className="shadow-legend__swatch shadow-timeline__bar--differing" /> differing{' '}
              <span className="shadow-legend__swatch shadow-timeline__bar--only-in-a" /> only on one
              side
            </p>
          </section>
        </div>
      </div>
    </div>
  );
}

/**
 * Dual runs of a flow: start a shadow of the working copy beside the active version, read its
 * reconciliation report (counts over time, differing fields with examples linked to both runs,
 * the runs that differ) and the environment's cutover criterion, stop it.
 */
export function ShadowsPage({ flowId, shadowId }: ShadowsPageProps) {
  const { api } = useServices();
  const shadows = api.shadows;
  const flows = usePoll(() => shadows.deployedFlows(), []);
  const [version, setVersion] = useState(0);
  const list = usePoll(
    () => (flowId ? shadows.list(flowId) : Promise.resolve([])),
    [flowId, version],
  );
  const active = flows.data?.find((f) => f.id === flowId);
  return (
    <div className="page page--shadows">
      <header className="page__header">
        <div>
          <h1>Shadows</h1>
          <p className="muted small">
            A new version dual-runs beside the active one with its side effects suppressed; what
            both would send is compared per business key.
          </p>
        </div>
        <label className="field field--inline">
          <span className="control-label">Flow</span>
          <select
            className="form-control"
            aria-label="Flow"
            value={flowId ?? ''}
            onChange={(e) =>
              navigate({ page: 'shadows', flowId: e.target.value || null, shadowId: null })
            }
          >
            <option value="">Choose a deployed flow…</option>
            {(flows.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name} ({f.activeVersion ?? 'none active'})
              </option>
            ))}
          </select>
        </label>
      </header>
      {flowId && (
        <div className="shadow-layout">
          <aside>
            <StartForm
              shadows={shadows}
              flowId={flowId}
              onStarted={(id) => {
                setVersion((v) => v + 1);
                navigate({ page: 'shadows', flowId, shadowId: id });
              }}
            />
            <section className="shadow-card" aria-label="Shadows of this flow">
              <h2 className="shadow-card__title">
                Shadows of {flowId}
                {active?.activeVersion ? ` (active ${active.activeVersion})` : ''}
              </h2>
              {(list.data ?? []).length === 0 && <p className="muted small">None yet.</p>}
              <ul className="shadow-list">
                {(list.data ?? []).map((s) => (
                  <li key={s.id}>
                    <a
                      href={routeHref({ page: 'shadows', flowId, shadowId: s.id })}
                      aria-current={s.id === shadowId ? 'page' : undefined}
                    >
                      <span className="mono">{s.version}</span> beside{' '}
                      <span className="mono">{s.activeVersion}</span>
                    </a>{' '}
                    <Badge tone={s.status === 'running' ? 'running' : 'neutral'}>{s.status}</Badge>
                  </li>
                ))}
              </ul>
            </section>
          </aside>
          <section aria-label="Report">
            {shadowId ? (
              <Report
                shadows={shadows}
                flowId={flowId}
                shadowId={shadowId}
                onStopped={() => setVersion((v) => v + 1)}
              />
            ) : (
              <p className="muted">Choose a shadow, or start one.</p>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
