import type { JsonValue } from '@crossdock/nodes';
import { useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Timestamp } from '../../components/timestamp';
import type { DifferenceInfo, ReconcileApi, StreamDetail } from '../../lib/reconcile-api';
import { navigate, routeHref } from '../../lib/router';
import { useServices } from '../../store/editor-context';
import { usePoll } from '../control-tower/use-poll';
import './reconciliations.css';

function show(value: JsonValue): string {
  if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A value as compared, with the value as the system holds it when they differ (units, codes). */
function Value(props: { system: string; compared: JsonValue; read: JsonValue; tone?: string }) {
  const compared = show(props.compared);
  const read = show(props.read);
  return (
    <span className={`recon-value${props.tone ? ` recon-value--${props.tone}` : ''}`}>
      {props.system.toUpperCase()} {compared}
      {read !== compared && <span className="recon-value__read"> ({read} as read)</span>}
    </span>
  );
}

/** The designer's control tower page of an API object link (`/api/processes/:p/objects/:key`). */
function towerHref(link: string | null): string | null {
  const m = link ? /^\/api\/processes\/([^/]+)\/objects\/(.+)$/.exec(link) : null;
  if (!m?.[1] || !m[2]) return null;
  return routeHref({
    page: 'tower',
    processId: decodeURIComponent(m[1]),
    key: decodeURIComponent(m[2]),
  });
}

const STATUS_LABEL: Record<string, string> = {
  different: 'different',
  'missing-left': 'missing left',
  'missing-right': 'missing right',
};

/** Differences per run, oldest to newest: one bar per run, split by kind. */
function Trend({ points }: { points: StreamDetail['trend'] }) {
  if (points.length === 0) return <p className="muted small">No runs yet.</p>;
  const max = Math.max(1, ...points.map((p) => p.different + p.missingLeft + p.missingRight));
  const width = 24;
  const height = 80;
  return (
    <svg
      className="recon-trend"
      role="img"
      aria-label={`Differences over the last ${points.length} runs`}
      width={points.length * width}
      height={height + 16}
    >
      {points.map((p, i) => {
        const total = p.different + p.missingLeft + p.missingRight;
        const h = (total / max) * height;
        const diff = (p.different / max) * height;
        return (
          <g key={p.run} transform={`translate(${i * width},0)`}>
            <title>{`${new Date(p.at).toLocaleString()}: ${p.different} different, ${p.missingLeft + p.missingRight} missing`}</title>
            <rect
              x={4}
              y={height - h}
              width={width - 8}
              height={h - diff}
              className="recon-trend__missing"
            />
            <rect
              x={4}
              y={height - diff}
              width={width - 8}
              height={diff}
              className="recon-trend__different"
            />
            <text x={width / 2} y={height + 12} textAnchor="middle" className="recon-trend__label">
              {total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function DifferenceRow(props: {
  d: DifferenceInfo;
  stream: StreamDetail;
  onDecide: (key: string, action: 'approve' | 'accept') => void;
  busy: boolean;
}) {
  const { d, stream } = props;
  const drift = d.drift;
  return (
    <tr data-key={d.key}>
      <td className="mono">{d.key}</td>
      <td>
        <Badge tone={d.status === 'different' ? 'warning' : 'danger'}>
          {drift ? 'drift' : (STATUS_LABEL[d.status] ?? d.status)}
        </Badge>
      </td>
      <td>
        {d.fields.map((f) => {
          const sorLeft = drift?.side === 'left';
          return (
            <div key={f.field} className="recon-field">
              <span className="recon-field__name">{f.field}</span>{' '}
              <Value
                system={drift ? (sorLeft ? stream.left : stream.right) : stream.left}
                compared={drift && !sorLeft ? f.compared.right : f.compared.left}
                read={drift && !sorLeft ? f.right : f.left}
                {...(drift ? { tone: 'right' } : {})}
              />{' '}
              <Value
                system={drift ? (sorLeft ? stream.right : stream.left) : stream.right}
                compared={drift && !sorLeft ? f.compared.left : f.compared.right}
                read={drift && !sorLeft ? f.left : f.right}
                {...(drift ? { tone: 'wrong' } : {})}
              />
            </div>
          );
        })}
        {d.status !== 'different' && (
          <span className="muted small">
            only in {(d.status === 'missing-left' ? stream.right : stream.left).toUpperCase()}
          </span>
        )}
      </td>
      <td>
        {towerHref(d.tower) && (
          <a href={towerHref(d.tower) ?? ''} className="small">
            Control tower
          </a>
        )}
      </td>
      <td className="table__actions">
        {d.decision ? (
          <span className="small" title={d.decision.comment}>
            <Badge tone={d.decision.action === 'approve' ? 'success' : 'info'}>
              {d.decision.action === 'approve' ? 'approved' : 'accepted'}
            </Badge>{' '}
            <span className="muted">{d.decision.actor}</span>
          </span>
        ) : (
          drift && (
            <>
              {stream.correction && (
                <Button
                  size="sm"
                  variant="primary"
                  disabled={props.busy}
                  onClick={() => props.onDecide(d.key, 'approve')}
                  aria-label={`Approve correction of ${d.key}`}
                >
                  Approve
                </Button>
              )}{' '}
              <Button
                size="sm"
                disabled={props.busy}
                onClick={() => props.onDecide(d.key, 'accept')}
                aria-label={`Accept drift of ${d.key}`}
              >
                Accept
              </Button>
            </>
          )
        )}
      </td>
    </tr>
  );
}

function StreamView({
  api,
  id,
  onChange,
}: {
  api: ReconcileApi;
  id: string;
  /** A run or a decision changed the figures the stream list shows. */
  onChange: () => void;
}) {
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const detail = usePoll(() => api.stream(id), [id, version]);
  const s = detail.data;
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
      setVersion((v) => v + 1);
      onChange();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  if (detail.error && !s) return <p className="field-error">{detail.error}</p>;
  if (!s) return <p className="muted">Loading…</p>;
  const latest = s.latest;
  return (
    <div className="recon-stream">
      <header className="recon-card__header">
        <div>
          <h2 className="recon-title">{s.name}</h2>
          <p className="muted small">
            {s.left.toUpperCase()} vs {s.right.toUpperCase()} · {s.kind} · owner {s.owner}
            {s.correction && ` · corrections by flow ${s.correction}`}
          </p>
        </div>
        <Button variant="primary" disabled={busy} onClick={() => void act(() => api.run(id))}>
          {busy ? 'Running…' : 'Run now'}
        </Button>
      </header>
      {actionError && <p className="field-error">{actionError}</p>}
      <div className="recon-grid">
        <section className="recon-card" aria-label="Latest run">
          <h3 className="recon-subtitle">Latest run</h3>
          {latest ? (
            <>
              <p className="small">
                <Badge tone={latest.status === 'succeeded' ? 'success' : 'danger'}>
                  {latest.status}
                </Badge>{' '}
                <Timestamp value={latest.startedAt} />
              </p>
              {latest.error && <p className="field-error">{latest.error}</p>}
              <dl className="recon-counts">
                <div>
                  <dt>Keys</dt>
                  <dd>{latest.counts.keys}</dd>
                </div>
                <div>
                  <dt>Equal</dt>
                  <dd>{latest.counts.equal}</dd>
                </div>
                <div className="recon-counts--warn">
                  <dt>Different</dt>
                  <dd data-testid="count-different">{latest.counts.different}</dd>
                </div>
                <div className="recon-counts--bad">
                  <dt>Missing in {s.left.toUpperCase()}</dt>
                  <dd>{latest.counts.missingLeft}</dd>
                </div>
                <div className="recon-counts--bad">
                  <dt>Missing in {s.right.toUpperCase()}</dt>
                  <dd>{latest.counts.missingRight}</dd>
                </div>
              </dl>
            </>
          ) : (
            <p className="muted">Not run yet: it runs on its schedule, or now.</p>
          )}
        </section>
        <section className="recon-card" aria-label="Trend">
          <h3 className="recon-subtitle">Differences per run</h3>
          <Trend points={s.trend} />
        </section>
      </div>
      {latest && (
        <section className="recon-card" aria-label="Differences">
          <h3 className="recon-subtitle">Differences ({latest.differences.length})</h3>
          {latest.differences.length === 0 ? (
            <p className="muted">Both systems agree on every key.</p>
          ) : (
            <table className="table" data-testid="difference-table">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Status</th>
                  <th>Values</th>
                  <th>Object</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {latest.differences.map((d) => (
                  <DifferenceRow
                    key={d.key}
                    d={d}
                    stream={s}
                    busy={busy}
                    onDecide={(key, action) =>
                      void act(() =>
                        api.decide(
                          id,
                          key,
                          action,
                          action === 'approve'
                            ? 'correction approved in the designer'
                            : 'drift accepted in the designer',
                        ),
                      )
                    }
                  />
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}

/** Reconciliation streams and master-data drift: latest run, differences, decisions, trend. */
export function ReconciliationsPage(props: { streamId: string | null }) {
  const { api } = useServices();
  const streams = usePoll(() => api.reconcile.streams(), []);
  useEffect(() => {
    const first = streams.data?.[0];
    if (first && !props.streamId) navigate({ page: 'reconcile', streamId: first.id });
  }, [streams.data, props.streamId]);
  return (
    <div className="page page--recon">
      <header className="page__header">
        <div>
          <h1>Reconciliation</h1>
          <p className="muted small">
            The same objects read from two systems and compared per key; master data against its
            system of record.
          </p>
        </div>
      </header>
      {streams.error && <p className="field-error">{streams.error}</p>}
      {streams.data && streams.data.length === 0 && (
        <p className="muted">No streams: add flows/reconciliations/&lt;id&gt;.json.</p>
      )}
      <div className="recon-layout">
        <nav className="recon-list" aria-label="Streams">
          {(streams.data ?? []).map((r) => (
            <a
              key={r.id}
              href={routeHref({ page: 'reconcile', streamId: r.id })}
              className="recon-list__item"
              aria-current={r.id === props.streamId ? 'page' : undefined}
            >
              <span className="recon-list__name">{r.name}</span>
              <span className="muted small">
                {r.kind === 'master-data'
                  ? `master data · ${r.systemOfRecord?.toUpperCase()} owns`
                  : 'transactional'}
              </span>
              {r.latest ? (
                <span className="small">
                  {r.latest.counts.different +
                    r.latest.counts.missingLeft +
                    r.latest.counts.missingRight}{' '}
                  of {r.latest.counts.keys} differ
                </span>
              ) : (
                <span className="muted small">not run yet</span>
              )}
            </a>
          ))}
        </nav>
        {props.streamId && (
          <StreamView
            key={props.streamId}
            api={api.reconcile}
            id={props.streamId}
            onChange={streams.refresh}
          />
        )}
      </div>
    </div>
  );
}
