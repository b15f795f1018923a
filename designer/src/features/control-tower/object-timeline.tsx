import { routeHref } from '../../lib/router';
import type { ProcessInfo, TowerObject } from '../../lib/tower-api';

const LANE_ORDER = ['ERP', 'Supplier', 'WMS', 'TMS', 'Carrier'];

function lanesOf(process: ProcessInfo, object: TowerObject): string[] {
  const seen: string[] = [];
  for (const m of process.milestones) {
    const lane = m.system ?? 'Other';
    if (!seen.includes(lane)) seen.push(lane);
  }
  for (const e of object.timeline) {
    const lane = e.system ?? 'Other';
    if (!seen.includes(lane)) seen.push(lane);
  }
  return seen.sort((a, b) => rank(a) - rank(b));
}

function rank(lane: string): number {
  const i = LANE_ORDER.indexOf(lane);
  return i === -1 ? LANE_ORDER.length : i;
}

function clock(iso: string): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 19)}`;
}

/**
 * One object's milestones on a horizontal time axis, one lane per system (ERP → WMS → TMS →
 * carrier → ERP); each milestone links to the run that recorded it. Milestones still to come
 * are listed at the end, greyed.
 */
export function ObjectTimeline(props: { process: ProcessInfo; object: TowerObject }) {
  const { process, object } = props;
  const lanes = lanesOf(process, object);
  // One column per milestone in occurrence order: events seconds apart and days apart both stay
  // readable; the clock under each says when.
  const n = object.timeline.length;
  const x = (i: number) => (n <= 1 ? 6 : 4 + (i / (n - 1)) * 84);
  const start = object.timeline[0]?.occurredAt ?? '';
  const end = object.timeline[n - 1]?.occurredAt ?? '';
  const recorded = new Set(object.timeline.map((e) => e.milestone));
  const ahead = process.milestones.filter((m) => !recorded.has(m.id));
  return (
    <section className="tower-card" aria-label="Timeline">
      <header className="tower-card__header">
        <h2>Timeline</h2>
        <span className="muted small">{start && `${clock(start)} → ${clock(end)} (UTC)`}</span>
      </header>
      <div className="timeline">
        {lanes.map((lane) => (
          <div className="timeline__lane" key={lane}>
            <span className="timeline__lane-name">{lane}</span>
            <div className="timeline__track">
              {object.timeline.map((e, i) =>
                (e.system ?? 'Other') !== lane ? null : (
                  <a
                    key={e.id}
                    className="timeline__event"
                    style={{ left: `${x(i)}%` }}
                    href={routeHref({ page: 'run', runId: e.runId })}
                    title={`${e.name} at ${e.occurredAt}: run ${e.runId}, step ${e.stepIndex ?? 'end'} (${e.flowId}${e.nodeId ? ` / ${e.nodeId}` : ''})`}
                    data-testid={`milestone-${e.milestone}`}
                  >
                    <span className="timeline__dot" aria-hidden="true" />
                    <span className="timeline__label">{e.name}</span>
                    <span className="timeline__time">{clock(e.occurredAt).slice(6)}</span>
                  </a>
                ),
              )}
            </div>
          </div>
        ))}
      </div>
      {object.open.length > 0 && (
        <p className="timeline__ahead">
          Waiting for:{' '}
          {object.open.map((o) => (
            <span key={o.expectation} className="timeline__pending timeline__pending--due">
              {o.name} · due {clock(o.deadline)}
            </span>
          ))}
        </p>
      )}
      {ahead.length > 0 && (
        <p className="timeline__ahead">
          Still to come:{' '}
          {ahead.map((m) => (
            <span key={m.id} className="timeline__pending">
              {m.name}
            </span>
          ))}
        </p>
      )}
      <table className="table timeline__table">
        <thead>
          <tr>
            <th>Milestone</th>
            <th>System</th>
            <th>Occurred (UTC)</th>
            <th>Flow / step</th>
            <th>Attributes</th>
            <th>Run</th>
          </tr>
        </thead>
        <tbody>
          {object.timeline.map((e) => (
            <tr key={e.id}>
              <td className="table__primary">{e.name}</td>
              <td>{e.system ?? ''}</td>
              <td className="mono">{clock(e.occurredAt)}</td>
              <td className="mono small">
                {e.flowId}
                {e.nodeId ? ` / ${e.nodeId}` : ''}
              </td>
              <td className="mono small">
                {Object.entries(e.attributes)
                  .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
                  .join(' ')}
              </td>
              <td>
                <a href={routeHref({ page: 'run', runId: e.runId })} className="mono small">
                  trace ›
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
