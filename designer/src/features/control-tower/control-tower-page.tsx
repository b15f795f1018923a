import { useCallback, useEffect, useState } from 'react';
import { Badge, type Tone } from '../../components/badge';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { navigate, routeHref } from '../../lib/router';
import type { ProcessDefinitions, ProcessInfo, TowerApi } from '../../lib/tower-api';
import { useServices } from '../../store/editor-context';
import { Funnel } from './funnel';
import { ObjectTimeline } from './object-timeline';
import { ProcessEditor } from './process-editor';
import { formatSpan, usePoll } from './use-poll';
import './control-tower.css';

const SEVERITY_TONE: Record<string, Tone> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'info',
};

function Severity({ value }: { value: string }) {
  return <Badge tone={SEVERITY_TONE[value] ?? 'neutral'}>{value}</Badge>;
}

/** Asks for the comment of an acknowledgement and sends it. */
function AckDialog(props: {
  tower: TowerApi;
  target: { processId: string; key: string; breachId: string; name: string } | null;
  onClose: (done: boolean) => void;
}) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { target } = props;
  const send = async () => {
    if (!target) return;
    try {
      await props.tower.acknowledge(target.processId, target.key, target.breachId, comment.trim());
      props.onClose(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Dialog
      title={target ? `Acknowledge "${target.name}" on ${target.key}` : 'Acknowledge'}
      open={target !== null}
      onClose={() => props.onClose(false)}
      footer={
        <Button variant="primary" disabled={comment.trim() === ''} onClick={() => void send()}>
          Acknowledge
        </Button>
      }
    >
      <label className="field">
        <span className="control-label">Comment (what is being done)</span>
        <textarea
          className="form-control"
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      {error && <p className="field-error">{error}</p>}
    </Dialog>
  );
}

function Overview(props: {
  tower: TowerApi;
  process: ProcessInfo;
  onAck: (t: { processId: string; key: string; breachId: string; name: string }) => void;
  version: number;
}) {
  const { tower, process } = props;
  const [stage, setStage] = useState<string | null>(null);
  const [owner, setOwner] = useState<string | null>(null);
  const summary = usePoll(() => tower.summary(process.id), [process.id, props.version]);
  const breached = usePoll(
    () => tower.objects(process.id, owner ? { owner } : { breached: true }),
    [process.id, owner, props.version],
  );
  const inStage = usePoll(
    () => (stage ? tower.objects(process.id, { stage }, 50) : Promise.resolve([])),
    [process.id, stage, props.version],
  );
  const s = summary.data;
  const owners = [...new Set((s?.breaches ?? []).map((b) => b.owner))];
  const names = new Map(process.milestones.map((m) => [m.id, m.name]));
  return (
    <>
      {summary.error && <p className="field-error">{summary.error}</p>}
      <div className="tower-grid">
        {s && <Funnel stages={s.stages} selected={stage} onSelect={setStage} />}
        <section className="tower-card" aria-label="Open breaches by owner">
          <header className="tower-card__header">
            <h2>Open breaches by owner</h2>
          </header>
          {s && s.breaches.length === 0 && <p className="muted">No open breaches.</p>}
          <ul className="owners">
            {owners.map((o) => (
              <li key={o}>
                <button
                  type="button"
                  className="owners__row"
                  aria-pressed={owner === o}
                  onClick={() => setOwner(owner === o ? null : o)}
                >
                  <span className="owners__name">{o}</span>
                  {(s?.breaches ?? [])
                    .filter((b) => b.owner === o)
                    .map((b) => (
                      <span key={b.severity} className="owners__count">
                        <Severity value={b.severity} /> {b.objects}
                      </span>
                    ))}
                </button>
              </li>
            ))}
          </ul>
          {s && s.failedChecks.length > 0 && (
            <>
              <h3 className="tower-subtitle">Failed checks</h3>
              <ul className="owners">
                {s.failedChecks.map((c) => (
                  <li key={c.check} className="owners__row owners__row--static">
                    <span className="owners__name">{c.name}</span>
                    <span className="muted small">{c.owner}</span>
                    <span className="owners__count">
                      <Severity value={c.severity} /> {c.objects}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted small tower-total">
            {s ? `${s.objects} ${process.businessKey}(s) followed` : 'Loading…'}
          </p>
        </section>
      </div>

      {stage && (
        <section className="tower-card" aria-label="Objects in stage">
          <header className="tower-card__header">
            <h2>In “{names.get(stage) ?? stage}” (longest first)</h2>
          </header>
          <table className="table">
            <thead>
              <tr>
                <th>{process.businessKey}</th>
                <th>In stage for</th>
                <th>Next deadline</th>
                <th>Open breaches</th>
              </tr>
            </thead>
            <tbody>
              {(inStage.data ?? []).map((o) => (
                <tr key={o.key}>
                  <td>
                    <a
                      href={routeHref({ page: 'tower', processId: process.id, key: o.key })}
                      className="table__primary"
                    >
                      {o.key}
                    </a>
                  </td>
                  <td>{formatSpan(Date.now() - Date.parse(o.stageSince))}</td>
                  <td>
                    {o.nextDeadline ? formatSpan(Date.parse(o.nextDeadline) - Date.now()) : '—'}
                  </td>
                  <td>{o.openBreaches.map((b) => b.name).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section className="tower-card" aria-label="Breaches">
        <header className="tower-card__header">
          <h2>Breaches{owner ? ` owned by ${owner}` : ''}</h2>
        </header>
        <table className="table" data-testid="breach-table">
          <thead>
            <tr>
              <th>{process.businessKey}</th>
              <th>Expectation</th>
              <th>Owner</th>
              <th>Severity</th>
              <th>Stage</th>
              <th>Breached</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(breached.data ?? []).flatMap((o) =>
              o.openBreaches
                .filter((b) => !owner || b.owner === owner)
                .map((b) => (
                  <tr key={`${o.key}-${b.id}`}>
                    <td>
                      <a
                        href={routeHref({ page: 'tower', processId: process.id, key: o.key })}
                        className="table__primary"
                      >
                        {o.key}
                      </a>
                    </td>
                    <td>{b.name}</td>
                    <td>{b.owner}</td>
                    <td>
                      <Severity value={b.severity} />
                    </td>
                    <td>{names.get(o.stage) ?? o.stage}</td>
                    <td>
                      {formatSpan(Date.now() - Date.parse(b.breachedAt))} ago{' '}
                      {b.status === 'acknowledged' && <Badge tone="neutral">acknowledged</Badge>}
                    </td>
                    <td className="table__actions">
                      {b.status === 'open' && (
                        <Button
                          size="sm"
                          onClick={() =>
                            props.onAck({
                              processId: process.id,
                              key: o.key,
                              breachId: b.id,
                              name: b.name,
                            })
                          }
                        >
                          Acknowledge
                        </Button>
                      )}{' '}
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() =>
                          navigate({ page: 'tower', processId: process.id, key: o.key })
                        }
                      >
                        Open
                      </Button>
                    </td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
        {breached.data && breached.data.length === 0 && <p className="muted">Nothing breached.</p>}
      </section>
    </>
  );
}

function ObjectDetail(props: {
  tower: TowerApi;
  process: ProcessInfo;
  objectKey: string;
  onAck: (t: { processId: string; key: string; breachId: string; name: string }) => void;
  version: number;
}) {
  const { tower, process, objectKey } = props;
  const found = usePoll(
    () => tower.object(process.id, objectKey),
    [process.id, objectKey, props.version],
  );
  const o = found.data;
  if (found.error && !o) return <p className="field-error">{found.error}</p>;
  if (!o) return <p className="muted">Loading…</p>;
  const stageName = process.milestones.find((m) => m.id === o.stage)?.name ?? o.stage;
  return (
    <>
      <div className="tower-object-head">
        <h2>
          {process.businessKey} <span className="mono">{o.key}</span>
        </h2>
        <Badge tone={o.openBreaches.some((b) => b.status === 'open') ? 'danger' : 'success'}>
          {stageName}
        </Badge>
        <span className="muted small">
          in this stage for {formatSpan(Date.now() - Date.parse(o.stageSince))}
        </span>
      </div>
      <ObjectTimeline process={process} object={o} />
      <div className="tower-grid">
        <section className="tower-card" aria-label="Open expectations">
          <header className="tower-card__header">
            <h2>Open expectations</h2>
          </header>
          {o.open.length === 0 && <p className="muted">None.</p>}
          <ul className="owners">
            {o.open.map((x) => (
              <li key={x.expectation} className="owners__row owners__row--static">
                <span className="owners__name">{x.name}</span>
                <span className="muted small">{x.owner}</span>
                <span className={x.timeLeftMs < 0 ? 'field-error' : ''}>
                  {x.timeLeftMs >= 0
                    ? `${formatSpan(x.timeLeftMs)} left`
                    : `${formatSpan(x.timeLeftMs)} overdue`}
                </span>
              </li>
            ))}
          </ul>
          {o.failed.length > 0 && (
            <>
              <h3 className="tower-subtitle">Failed checks</h3>
              {o.failed.map((f) => (
                <div key={f.check} className="owners__row owners__row--static">
                  <span className="owners__name">{f.name}</span>
                  <Severity value={f.severity} />
                  <span className="mono small">{JSON.stringify(f.values)}</span>
                </div>
              ))}
            </>
          )}
        </section>
        <section className="tower-card" aria-label="Object breaches">
          <header className="tower-card__header">
            <h2>Breaches</h2>
          </header>
          {o.breaches.length === 0 && <p className="muted">None.</p>}
          <ul className="owners">
            {o.breaches.map((b) => (
              <li key={b.id} className="owners__row owners__row--static">
                <span className="owners__name">{b.name}</span>
                <Severity value={b.severity} />
                <span className="muted small">
                  {b.owner} · {b.status}
                  {b.ack ? ` by ${b.ack.by}: “${b.ack.comment}”` : ''}
                </span>
                {b.escalationRunId && (
                  <a href={routeHref({ page: 'run', runId: b.escalationRunId })} className="small">
                    escalation run ›
                  </a>
                )}
                {b.status === 'open' && (
                  <Button
                    size="sm"
                    onClick={() =>
                      props.onAck({
                        processId: process.id,
                        key: o.key,
                        breachId: b.id,
                        name: b.name,
                      })
                    }
                  >
                    Acknowledge
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}

/** The process definition of the selected process: loaded when opened, again after a deploy. */
function Definition(props: { tower: TowerApi; processId: string; onDeployed: () => void }) {
  const [defs, setDefs] = useState<ProcessDefinitions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { tower } = props;
  const load = useCallback(() => {
    tower
      .definitions()
      .then(setDefs)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [tower]);
  useEffect(load, [load]);
  const active = defs?.documents.find((d) => d.id === props.processId);
  if (error) return <p className="field-error">{error}</p>;
  if (!defs) return <p className="muted">Loading…</p>;
  if (!active) return <p className="muted">No active version of this process.</p>;
  return (
    <>
      {notice && (
        <p className="callout callout--success" role="status">
          {notice}
        </p>
      )}
      <ProcessEditor
        key={`${active.id}@${active.version}`}
        tower={props.tower}
        active={active}
        editable={defs.editable}
        onDeployed={(message) => {
          setNotice(message);
          load();
          props.onDeployed();
        }}
      />
    </>
  );
}

/** The control tower: one page per business process, and one object's timeline. */
export function ControlTowerPage(props: { processId: string | null; objectKey: string | null }) {
  const { api } = useServices();
  const tower = api.tower;
  const [processes, setProcesses] = useState<ProcessInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [ack, setAck] = useState<{
    processId: string;
    key: string;
    breachId: string;
    name: string;
  } | null>(null);
  const [version, setVersion] = useState(0);
  const [definition, setDefinition] = useState(false);
  const load = useCallback(() => {
    tower
      .processes()
      .then(setProcesses)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [tower]);
  useEffect(load, [load]);
  const process = processes?.find((p) => p.id === props.processId) ?? null;
  useEffect(() => {
    const first = processes?.[0];
    if (first && !props.processId) navigate({ page: 'tower', processId: first.id, key: null });
  }, [processes, props.processId]);
  useEffect(() => setSearch(props.objectKey ?? ''), [props.objectKey]);

  return (
    <div className="page page--tower">
      <header className="page__header">
        <div>
          <h1>Control tower</h1>
          <p className="muted small">
            Business objects across ERP, WMS, TMS and carrier; refreshed every few seconds.
          </p>
        </div>
        {process && (
          <form
            className="tower-search"
            onSubmit={(e) => {
              e.preventDefault();
              if (search.trim())
                navigate({ page: 'tower', processId: process.id, key: search.trim() });
            }}
          >
            <input
              className="form-control"
              placeholder={`Find ${process.businessKey}…`}
              aria-label={`Find ${process.businessKey}`}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <Button type="submit" variant="primary">
              Find
            </Button>
          </form>
        )}
      </header>
      {error && <p className="field-error">{error}</p>}
      {processes && processes.length === 0 && (
        <p className="muted">No business processes: add flows/processes/&lt;id&gt;.process.json.</p>
      )}
      <nav className="tower-tabs" aria-label="Processes">
        {(processes ?? []).map((p) => (
          <a
            key={p.id}
            href={routeHref({ page: 'tower', processId: p.id, key: null })}
            className="tower-tabs__tab"
            aria-current={
              p.id === props.processId && !props.objectKey && !definition ? 'page' : undefined
            }
            onClick={() => setDefinition(false)}
          >
            {p.name}
          </a>
        ))}
        {process && !props.objectKey && (
          <button
            type="button"
            className="tower-tabs__tab tower-tabs__definition"
            aria-pressed={definition}
            onClick={() => setDefinition(!definition)}
          >
            Process definition
          </button>
        )}
        {process && props.objectKey && (
          <span className="tower-tabs__crumb">
            › {process.businessKey} {props.objectKey}
          </span>
        )}
      </nav>
      {process && !props.objectKey && definition && (
        <Definition tower={tower} processId={process.id} onDeployed={load} />
      )}
      {process && !props.objectKey && !definition && (
        <Overview tower={tower} process={process} onAck={setAck} version={version} />
      )}
      {process && props.objectKey && (
        <ObjectDetail
          tower={tower}
          process={process}
          objectKey={props.objectKey}
          onAck={setAck}
          version={version}
        />
      )}
      <AckDialog
        key={ack?.breachId ?? 'none'}
        tower={tower}
        target={ack}
        onClose={(done) => {
          setAck(null);
          if (done) setVersion((v) => v + 1);
        }}
      />
    </div>
  );
}
