import {
  type Diagnostic,
  type JsonPath,
  type MilestoneSource,
  PROCESS_SEVERITIES,
  type ProcessDocument,
  type ProcessSeverity,
  validateProcess,
} from '@crossdock/nodes';
import { type ReactNode, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import type { TowerApi } from '../../lib/tower-api';
import { ProcessDiagram, type ProcessSelection } from './process-diagram';
import {
  applyProcessEdit,
  diagnosticsAt,
  diagnosticsUnder,
  freshId,
  nextVersion,
  type ProcessEdit,
} from './process-draft';
import './process-editor.css';

/** A labelled input with the diagnostics of its JSON path beside it. */
function Field(props: {
  label: string;
  path: JsonPath;
  diagnostics: readonly Diagnostic[];
  children: ReactNode;
}) {
  const problems = diagnosticsAt(props.diagnostics, props.path);
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child element passed in
    <label className={`process-field${problems.length > 0 ? ' has-error' : ''}`}>
      <span className="control-label">{props.label}</span>
      {props.children}
      {problems.map((d) => (
        <span
          key={`${d.code}-${d.message}`}
          className="field-error"
          role="alert"
          data-path={props.path.join('.')}
        >
          {d.message}
        </span>
      ))}
    </label>
  );
}

function Text(props: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <input
      className="form-control"
      value={props.value}
      aria-label={props.label}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

function Select(props: {
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (v: string) => void;
  label?: string;
}) {
  return (
    <select
      className="form-control"
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      {!props.options.some((o) => o.value === props.value) && (
        <option value={props.value}>{props.value || '—'}</option>
      )}
      {props.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

const SEVERITIES = PROCESS_SEVERITIES.map((s) => ({ value: s, label: s }));

/** Milestone ids as checkboxes (an expectation's `unless`, a check's `requires`). */
function MilestonePicks(props: {
  process: ProcessDocument;
  value: readonly string[];
  onChange: (v: string[]) => void;
}) {
  return (
    <div className="process-picks">
      {props.process.milestones.map((m) => (
        <label key={m.id} className="process-picks__item">
          <input
            type="checkbox"
            checked={props.value.includes(m.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, m.id] : props.value.filter((id) => id !== m.id),
              )
            }
          />
          {m.name}
        </label>
      ))}
    </div>
  );
}

/** A json-logic rule typed as JSON; a parse error stays beside the field until it parses. */
function RuleInput(props: { value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(() => JSON.stringify(props.value ?? null, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        className="form-control mono"
        rows={4}
        value={text}
        aria-label="Rule (json-logic)"
        onChange={(e) => {
          setText(e.target.value);
          try {
            props.onChange(JSON.parse(e.target.value) as unknown);
            setError(null);
          } catch {
            setError('Not JSON yet: the rule keeps its last valid value.');
          }
        }}
      />
      {error && <span className="field-error">{error}</span>}
    </>
  );
}

/** What each part's form gets: the draft, which part, the live diagnostics and the edit sink. */
interface PartFormProps {
  process: ProcessDocument;
  index: number;
  diagnostics: readonly Diagnostic[];
  edit: (e: ProcessEdit) => void;
  editable: boolean;
}

function MilestoneForm(props: PartFormProps) {
  const { process, index, diagnostics, edit } = props;
  const m = process.milestones[index];
  if (!m) return null;
  const at = (...rest: JsonPath) => ['milestones', index, ...rest];
  const set = (patch: Partial<typeof m>) =>
    edit({ kind: 'update-milestone', index, milestone: { ...m, ...patch } });
  const setSource = (j: number, source: MilestoneSource) =>
    set({ on: m.on.map((s, k) => (k === j ? source : s)) });
  return (
    <section className="process-form" aria-label="Milestone">
      <h3>Milestone {index + 1}</h3>
      <div className="process-form__row">
        <Field label="Id" path={at('id')} diagnostics={diagnostics}>
          <Text value={m.id} onChange={(id) => set({ id })} />
        </Field>
        <Field label="Name" path={at('name')} diagnostics={diagnostics}>
          <Text value={m.name} onChange={(name) => set({ name })} />
        </Field>
        <Field label="System (timeline lane)" path={at('system')} diagnostics={diagnostics}>
          <Text
            value={m.system ?? ''}
            onChange={(system) => {
              const { system: _old, ...rest } = m;
              edit({
                kind: 'update-milestone',
                index,
                milestone: system === '' ? rest : { ...rest, system },
              });
            }}
          />
        </Field>
      </div>
      <span className="control-label">Recorded when (any of)</span>
      {m.on.map((s, j) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: sources have no id; their place is their identity
        <div className="process-form__row process-form__source" key={`${j}-${s.flow}`}>
          <Field label="Flow" path={at('on', j, 'flow')} diagnostics={diagnostics}>
            <Text value={s.flow} onChange={(flow) => setSource(j, { ...s, flow })} />
          </Field>
          {'runStatus' in s ? (
            <Field label="Run ends" path={at('on', j, 'runStatus')} diagnostics={diagnostics}>
              <Select
                value={s.runStatus}
                options={[
                  { value: 'succeeded', label: 'succeeded' },
                  { value: 'failed', label: 'failed' },
                ]}
                onChange={(v) =>
                  setSource(j, { flow: s.flow, runStatus: v as 'succeeded' | 'failed' })
                }
              />
            </Field>
          ) : (
            <Field label="Node succeeded" path={at('on', j, 'node')} diagnostics={diagnostics}>
              <Text value={s.node} onChange={(node) => setSource(j, { ...s, node })} />
            </Field>
          )}
          {props.editable && (
            <Button
              size="sm"
              variant="ghost"
              aria-label="Remove source"
              onClick={() => set({ on: m.on.filter((_, k) => k !== j) })}
            >
              ✕
            </Button>
          )}
        </div>
      ))}
      {props.editable && (
        <div className="process-form__actions">
          <Button size="sm" onClick={() => set({ on: [...m.on, { flow: '', node: '' }] })}>
            Add source
          </Button>
          <Button
            size="sm"
            disabled={index === 0}
            onClick={() => edit({ kind: 'move-milestone', index, by: -1 })}
          >
            Earlier
          </Button>
          <Button
            size="sm"
            disabled={index === process.milestones.length - 1}
            onClick={() => edit({ kind: 'move-milestone', index, by: 1 })}
          >
            Later
          </Button>
          <Button
            size="sm"
            variant="danger"
            onClick={() => edit({ kind: 'remove-milestone', index })}
          >
            Remove milestone
          </Button>
        </div>
      )}
    </section>
  );
}

function ExpectationForm(props: PartFormProps) {
  const { process, index, diagnostics, edit } = props;
  const x = process.expectations[index];
  if (!x) return null;
  const at = (...rest: JsonPath) => ['expectations', index, ...rest];
  const set = (patch: Partial<typeof x>) =>
    edit({ kind: 'update-expectation', index, expectation: { ...x, ...patch } });
  const milestones = process.milestones.map((m) => ({ value: m.id, label: m.name }));
  return (
    <section className="process-form" aria-label="Expectation">
      <h3>Expectation</h3>
      <div className="process-form__row">
        <Field label="Id" path={at('id')} diagnostics={diagnostics}>
          <Text value={x.id} onChange={(id) => set({ id })} />
        </Field>
        <Field label="Name" path={at('name')} diagnostics={diagnostics}>
          <Text value={x.name} onChange={(name) => set({ name })} label="Expectation name" />
        </Field>
      </div>
      <div className="process-form__row">
        <Field label="After" path={at('after')} diagnostics={diagnostics}>
          <Select
            value={x.after}
            options={milestones}
            label="After"
            onChange={(after) => set({ after })}
          />
        </Field>
        <Field label="Expect" path={at('expect')} diagnostics={diagnostics}>
          <Select
            value={x.expect}
            options={milestones}
            label="Expect"
            onChange={(expect) => set({ expect })}
          />
        </Field>
        <Field label="Within (ISO 8601)" path={at('within')} diagnostics={diagnostics}>
          <Text value={x.within} onChange={(within) => set({ within })} label="Within" />
        </Field>
      </div>
      <div className="process-form__row">
        <Field label="Owner (team)" path={at('owner')} diagnostics={diagnostics}>
          <Text value={x.owner} onChange={(owner) => set({ owner })} label="Owner" />
        </Field>
        <Field label="Severity" path={at('severity')} diagnostics={diagnostics}>
          <Select
            value={x.severity}
            options={SEVERITIES}
            onChange={(v) => set({ severity: v as ProcessSeverity })}
          />
        </Field>
        <Field label="Escalation flow" path={at('escalation', 'flow')} diagnostics={diagnostics}>
          <Text
            value={x.escalation?.flow ?? ''}
            onChange={(flow) => {
              const { flow: _old, ...rest } = x.escalation ?? {};
              const escalation = flow === '' ? rest : { ...rest, flow };
              const { escalation: _e, ...without } = x;
              edit({
                kind: 'update-expectation',
                index,
                expectation:
                  Object.keys(escalation).length > 0 ? { ...without, escalation } : without,
              });
            }}
          />
        </Field>
      </div>
      <Field label="Unless any of" path={at('unless')} diagnostics={diagnostics}>
        <MilestonePicks
          process={process}
          value={x.unless ?? []}
          onChange={(unless) => {
            const { unless: _old, ...rest } = x;
            edit({
              kind: 'update-expectation',
              index,
              expectation: unless.length > 0 ? { ...rest, unless } : rest,
            });
          }}
        />
      </Field>
      {props.editable && (
        <div className="process-form__actions">
          <Button
            size="sm"
            variant="danger"
            onClick={() => edit({ kind: 'remove-expectation', index })}
          >
            Remove expectation
          </Button>
        </div>
      )}
    </section>
  );
}

function CheckForm(props: PartFormProps) {
  const { process, index, diagnostics, edit } = props;
  const c = process.checks[index];
  if (!c) return null;
  const at = (...rest: JsonPath) => ['checks', index, ...rest];
  const set = (patch: Partial<typeof c>) =>
    edit({ kind: 'update-check', index, check: { ...c, ...patch } });
  return (
    <section className="process-form" aria-label="Check">
      <h3>Check</h3>
      <div className="process-form__row">
        <Field label="Id" path={at('id')} diagnostics={diagnostics}>
          <Text value={c.id} onChange={(id) => set({ id })} />
        </Field>
        <Field label="Name" path={at('name')} diagnostics={diagnostics}>
          <Text value={c.name} onChange={(name) => set({ name })} />
        </Field>
        <Field label="Owner (team)" path={at('owner')} diagnostics={diagnostics}>
          <Text value={c.owner} onChange={(owner) => set({ owner })} />
        </Field>
        <Field label="Severity" path={at('severity')} diagnostics={diagnostics}>
          <Select
            value={c.severity}
            options={SEVERITIES}
            onChange={(v) => set({ severity: v as ProcessSeverity })}
          />
        </Field>
      </div>
      <Field label="Once these are recorded" path={at('requires')} diagnostics={diagnostics}>
        <MilestonePicks
          process={process}
          value={c.requires}
          onChange={(requires) => set({ requires })}
        />
      </Field>
      <Field
        label="Rule (json-logic over {milestone: attributes})"
        path={at('rule')}
        diagnostics={diagnostics}
      >
        <RuleInput
          key={`${index}-${c.id}`}
          value={c.rule}
          onChange={(rule) => set({ rule: rule as never })}
        />
      </Field>
      {props.editable && (
        <div className="process-form__actions">
          <Button size="sm" variant="danger" onClick={() => edit({ kind: 'remove-check', index })}>
            Remove check
          </Button>
        </div>
      )}
    </section>
  );
}

/**
 * The process itself, drawn and editable: milestones as boxes in process order, expectations as
 * arrows, checks listed; each change validated at once by the core validator (the one the CLI
 * and the runtime run), problems shown beside their field. Save deploys a new version through
 * the API, which validates it again against the flows deployed here. Read-only without the
 * admin role (or outside development, where versions arrive by promotion).
 */
/** The form of the selected part, by its kind. */
const PART_FORMS: Record<
  NonNullable<ProcessSelection>['kind'],
  (props: PartFormProps) => ReactNode
> = { milestone: MilestoneForm, expectation: ExpectationForm, check: CheckForm };

export function ProcessEditor(props: {
  tower: TowerApi;
  active: ProcessDocument;
  editable: boolean;
  /** Told with what was deployed; the page reloads the active version (a new editor). */
  onDeployed: (message: string) => void;
}) {
  const { active, editable } = props;
  const [draft, setDraft] = useState<ProcessDocument>(() => ({
    ...active,
    version: nextVersion(active.version),
  }));
  const [selection, setSelection] = useState<ProcessSelection>(null);
  const SelectedForm = selection ? PART_FORMS[selection.kind] : undefined;
  const [server, setServer] = useState<{ message: string; diagnostics: Diagnostic[] } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const local = useMemo(
    () => validateProcess(draft, { expectedId: active.id }),
    [draft, active.id],
  );
  const diagnostics = useMemo(() => [...local, ...(server?.diagnostics ?? [])], [local, server]);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const invalid = useMemo(() => {
    const pick = (field: string) =>
      new Set(
        errors
          .filter((d) => d.pointer[0] === field && typeof d.pointer[1] === 'number')
          .map((d) => d.pointer[1] as number),
      );
    return { milestones: pick('milestones'), expectations: pick('expectations') };
  }, [errors]);
  const changed = JSON.stringify({ ...draft, version: active.version }) !== JSON.stringify(active);

  const edit = (e: ProcessEdit) => {
    if (!editable) return;
    setDraft((d) => applyProcessEdit(d, e));
    setServer(null);
    setSaved(null);
    if (
      e.kind === 'remove-milestone' ||
      e.kind === 'remove-expectation' ||
      e.kind === 'remove-check'
    )
      setSelection(null);
    if (e.kind === 'move-milestone') setSelection({ kind: 'milestone', index: e.index + e.by });
  };
  const save = async () => {
    setSaving(true);
    try {
      const outcome = await props.tower.deploy(draft);
      if (outcome.ok) {
        const message = `Version ${outcome.version} deployed${outcome.active ? ' and active' : ' (not active: a higher version is)'}.`;
        setSaved(message);
        props.onDeployed(message);
        setDraft((d) => ({ ...d, version: nextVersion(outcome.version) }));
      } else setServer({ message: outcome.message, diagnostics: outcome.diagnostics });
    } catch (e) {
      setServer({ message: e instanceof Error ? e.message : String(e), diagnostics: [] });
    } finally {
      setSaving(false);
    }
  };
  const ids = (items: readonly { id: string }[]) => items.map((x) => x.id);

  return (
    <section className="tower-card process-editor" aria-label="Process definition">
      <header className="tower-card__header">
        <h2>
          {draft.name} <span className="muted small">active version {active.version}</span>
        </h2>
        {!editable && (
          <span className="muted small">
            Read-only: deploying a process version needs the admin role in development.
          </span>
        )}
      </header>
      <div className="process-editor__canvas">
        <ProcessDiagram
          process={draft}
          selection={selection}
          onSelect={setSelection}
          invalid={invalid}
        />
      </div>
      <fieldset className="process-editor__body" disabled={!editable}>
        <div className="process-editor__lists">
          <div>
            <h3 className="tower-subtitle">Milestones (process order)</h3>
            <ol className="process-list">
              {draft.milestones.map((m, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ids are being edited and may repeat for a while
                <li key={`${m.id}-${i}`}>
                  <button
                    type="button"
                    className={`process-list__item${invalid.milestones.has(i) ? ' is-invalid' : ''}`}
                    aria-pressed={selection?.kind === 'milestone' && selection.index === i}
                    onClick={() => setSelection({ kind: 'milestone', index: i })}
                  >
                    {m.name} <span className="muted small">{m.system}</span>
                  </button>
                </li>
              ))}
            </ol>
            {editable && (
              <Button
                size="sm"
                onClick={() => {
                  edit({
                    kind: 'add-milestone',
                    milestone: {
                      id: freshId('new milestone', ids(draft.milestones)),
                      name: 'New milestone',
                      on: [],
                    },
                  });
                  setSelection({ kind: 'milestone', index: draft.milestones.length });
                }}
              >
                Add milestone
              </Button>
            )}
          </div>
          <div>
            <h3 className="tower-subtitle">Expectations</h3>
            <ul className="process-list">
              {draft.expectations.map((x, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ids are being edited and may repeat for a while
                <li key={`${x.id}-${i}`}>
                  <button
                    type="button"
                    className={`process-list__item${invalid.expectations.has(i) ? ' is-invalid' : ''}`}
                    aria-pressed={selection?.kind === 'expectation' && selection.index === i}
                    onClick={() => setSelection({ kind: 'expectation', index: i })}
                  >
                    {x.name}{' '}
                    <span className="muted small">
                      {x.within} · {x.owner} · {x.severity}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {editable && (
              <Button
                size="sm"
                onClick={() => {
                  const [a, b] = draft.milestones;
                  edit({
                    kind: 'add-expectation',
                    expectation: {
                      id: freshId('new expectation', ids(draft.expectations)),
                      name: 'New expectation',
                      after: a?.id ?? '',
                      expect: b?.id ?? '',
                      within: 'PT1H',
                      owner: '',
                      severity: 'medium',
                    },
                  });
                  setSelection({ kind: 'expectation', index: draft.expectations.length });
                }}
              >
                Add expectation
              </Button>
            )}
          </div>
          <div>
            <h3 className="tower-subtitle">Checks</h3>
            <ul className="process-list">
              {draft.checks.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ids are being edited and may repeat for a while
                <li key={`${c.id}-${i}`}>
                  <button
                    type="button"
                    className={`process-list__item${diagnosticsUnder(errors, ['checks', i]).length > 0 ? ' is-invalid' : ''}`}
                    aria-pressed={selection?.kind === 'check' && selection.index === i}
                    onClick={() => setSelection({ kind: 'check', index: i })}
                  >
                    {c.name}{' '}
                    <span className="muted small">
                      needs {c.requires.join(', ')} · {c.owner} · {c.severity}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {editable && (
              <Button
                size="sm"
                onClick={() => {
                  edit({
                    kind: 'add-check',
                    check: {
                      id: freshId('new check', ids(draft.checks)),
                      name: 'New check',
                      requires: draft.milestones.slice(0, 1).map((m) => m.id),
                      rule: true,
                      owner: '',
                      severity: 'medium',
                    },
                  });
                  setSelection({ kind: 'check', index: draft.checks.length });
                }}
              >
                Add check
              </Button>
            )}
          </div>
        </div>
        {SelectedForm && selection && (
          <SelectedForm
            process={draft}
            index={selection.index}
            diagnostics={diagnostics}
            edit={edit}
            editable={editable}
          />
        )}
      </fieldset>
      {errors.length > 0 && (
        <div className="callout callout--danger process-editor__problems" role="status">
          <strong>{errors.length} problem(s) to fix before saving</strong>
          <ul>
            {errors.map((d) => (
              <li key={`${d.path}-${d.code}-${d.message}`}>
                <span className="mono small">{d.path}</span> {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {server && server.diagnostics.length === 0 && (
        <p className="field-error" role="alert">
          {server.message}
        </p>
      )}
      {saved && (
        <p className="callout callout--success" role="status">
          {saved}
        </p>
      )}
      {editable && (
        <footer className="process-editor__footer">
          <Field label="New version" path={['version']} diagnostics={diagnostics}>
            <Text
              value={draft.version}
              label="New version"
              onChange={(version) => edit({ kind: 'set-version', version })}
            />
          </Field>
          <Button
            variant="primary"
            disabled={saving || errors.length > 0 || !changed}
            onClick={() => void save()}
          >
            Save and deploy
          </Button>
          <Button
            variant="ghost"
            disabled={!changed}
            onClick={() => {
              setDraft({ ...active, version: nextVersion(active.version) });
              setServer(null);
              setSelection(null);
            }}
          >
            Discard changes
          </Button>
        </footer>
      )}
    </section>
  );
}
