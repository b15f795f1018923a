import type { StageSummary } from '../../lib/tower-api';

const AGING_TONES = ['age-0', 'age-1', 'age-2', 'age-3', 'age-4'];

/** Objects per stage as a funnel of bars, each split by how long its objects have been there. */
export function Funnel(props: {
  stages: StageSummary[];
  selected: string | null;
  onSelect: (stage: string | null) => void;
}) {
  const max = Math.max(1, ...props.stages.map((s) => s.count));
  const buckets = props.stages[0]?.aging.map((a) => a.bucket) ?? [];
  return (
    <section className="tower-card" aria-label="Stage funnel">
      <header className="tower-card__header">
        <h2>Stages</h2>
        <div className="tower-legend" title="Time in stage">
          {buckets.map((b, i) => (
            <span key={b} className="tower-legend__item">
              <span className={`tower-swatch ${AGING_TONES[i]}`} aria-hidden="true" />
              {b}
            </span>
          ))}
        </div>
      </header>
      <ol className="funnel">
        {props.stages.map((s) => (
          <li key={s.stage}>
            <button
              type="button"
              className="funnel__row"
              aria-pressed={props.selected === s.stage}
              onClick={() => props.onSelect(props.selected === s.stage ? null : s.stage)}
              title={s.aging.map((a) => `${a.bucket}: ${a.count}`).join(', ')}
            >
              <span className="funnel__label">
                <span className="funnel__name">{s.name}</span>
                {s.system && <span className="funnel__system">{s.system}</span>}
              </span>
              <span className="funnel__track">
                <span className="funnel__bar" style={{ width: `${(s.count / max) * 100}%` }}>
                  {s.aging.map((a, i) =>
                    a.count > 0 ? (
                      <span
                        key={a.bucket}
                        className={`funnel__segment ${AGING_TONES[i]}`}
                        style={{ flexGrow: a.count }}
                      />
                    ) : null,
                  )}
                </span>
              </span>
              <span className="funnel__count" data-testid={`stage-count-${s.stage}`}>
                {s.count}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
