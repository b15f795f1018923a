import type { JsonValue } from '@crossdock/nodes';
import { useCallback, useContext, useEffect, useState } from 'react';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ApiError } from '../../lib/api-client';
import type { Run } from '../../lib/api-types';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import { type EditorStore, notify, selectDoc } from '../../store/editor-store';
import { EnvironmentContext } from '../inspector/connection-widget';
import { JsonInput } from '../inspector/json-input';
import { StepList, statusTone } from './step-list';
import { traceByNode } from './trace';
import { useRunPoll } from './use-run-poll';
import './runs.css';

/** Test run: pick a sample or paste a payload, run the flow as edited, follow the trace. */
export function TestRunPanel({ store }: { store: EditorStore }) {
  const { api } = useServices();
  const doc = useStore(store, selectDoc);
  const samples = useStore(store, (s) => s.samples);
  const run = useStore(store, (s) => s.run);
  const selected = useStore(store, (s) => s.selectedNodes);
  const env = useContext(EnvironmentContext);
  const [sample, setSample] = useState<string>('');
  const [payload, setPayload] = useState<JsonValue>({});
  const [touched, setTouched] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const onRun = useCallback(
    (r: Run) => store.set((s) => ({ ...s, run: r, trace: traceByNode(r) })),
    [store],
  );
  const onError = useCallback(
    (e: unknown) => notify(store, 'error', e instanceof Error ? e.message : String(e)),
    [store],
  );
  useRunPoll(api, runId, onRun, onError);

  const pick = useCallback(
    (name: string) => {
      setSample(name);
      const found = samples.find((s) => s.name === name);
      if (found) setPayload(found.payload);
    },
    [samples],
  );
  // The flow's first sample is the payload until the analyst picks or types another.
  const first = samples[0]?.name;
  useEffect(() => {
    if (!touched && first !== undefined) pick(first);
  }, [touched, first, pick]);

  const only = selected.size === 1 ? doc?.nodes.find((n) => selected.has(n.id)) : undefined;

  const start = async (options: { send?: boolean; stopAt?: string } = {}) => {
    if (!doc) return;
    setStarting(true);
    store.set((s) => ({ ...s, run: null, trace: null }));
    try {
      setRunId(await api.startTestRun(doc.id, doc, payload, options));
    } catch (e) {
      const details = e instanceof ApiError && e.code ? ` (${e.code})` : '';
      notify(
        store,
        'error',
        `Test run refused: ${e instanceof Error ? e.message : String(e)}${details}`,
      );
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="test-run" aria-label="Test run">
      <div className="test-run__input">
        <label className="field">
          <span className="control-label">Sample payload</span>
          <select
            className="form-control"
            value={sample}
            onChange={(e) => {
              setTouched(true);
              pick(e.target.value);
            }}
          >
            <option value="">Paste a payload…</option>
            {samples.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <JsonInput
          label="Payload"
          value={payload}
          onChange={(v) => {
            setTouched(true);
            setPayload(v);
          }}
          rows={8}
        />
        <p className="muted test-run__hint">
          A test run sends nothing to systems: side-effecting nodes answer from their pinned sample
          and show the request they would have sent.
        </p>
        <div className="test-run__actions">
          <Button
            variant="primary"
            onClick={() => void start()}
            disabled={!doc || starting}
            title="Side-effecting nodes answer from their pinned samples"
          >
            {starting ? 'Starting…' : 'Run test'}
          </Button>
          {only && (
            <Button
              variant="secondary"
              onClick={() => void start({ stopAt: only.id })}
              disabled={!doc || starting}
            >
              Run to {only.name}
            </Button>
          )}
          <Button
            variant="danger"
            onClick={() => void start({ send: true })}
            disabled={!doc || starting}
            title="Calls the real systems of this environment"
          >
            Run against {env?.name ?? 'environment'}
          </Button>
          {run && (
            <span className="test-run__status" role="status" aria-label="Run status">
              <Badge tone={statusTone(run.status)}>{run.status}</Badge>
              <a
                className="muted mono test-run__id"
                href={`#/runs/${encodeURIComponent(run.id)}`}
                title="Open the run (replay a failed one from there)"
                aria-label={`Open run ${run.id}`}
              >
                {run.id}
              </a>
            </span>
          )}
          {run && (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => store.set((s) => ({ ...s, run: null, trace: null }))}
            >
              Clear trace
            </Button>
          )}
        </div>
      </div>
      <div className="test-run__steps">
        {run ? (
          <StepList run={run} doc={doc} />
        ) : (
          <p className="muted">Run the flow to see each step here and on the canvas.</p>
        )}
      </div>
    </section>
  );
}
