import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { Badge } from '../../components/badge';
import { Timestamp } from '../../components/timestamp';
import type { Run } from '../../lib/api-types';
import { navigate } from '../../lib/router';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import { createEditorStore, openDocument, selectDoc } from '../../store/editor-store';
import { FlowCanvas } from '../canvas/flow-canvas';
import { SaveTestCaseButton } from '../promotion/save-test-case';
import { ReplayPanel } from './replay-panel';
import { StepList, statusTone } from './step-list';
import { traceByNode } from './trace';
import './runs.css';

const runHref = (id: string) => `#/runs/${encodeURIComponent(id)}`;

/**
 * A run drawn on the canvas of the flow version it ran on, with its steps beside it and its replay
 * chain linked both ways. Read-only: its own store, so the editor's document is never touched.
 * With `onReplayed`, a failed run offers a replay from a node the operator picks.
 */
export function RunView({ run, onReplayed }: { run: Run; onReplayed?: (runId: string) => void }) {
  const { api } = useServices();
  const store = useMemo(createEditorStore, []);
  const doc = useStore(store, selectDoc);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const show = (flow: Parameters<typeof openDocument>[2], from: string | null) => {
      if (cancelled) return;
      openDocument(store, null, flow, null);
      store.set((s) => ({ ...s, run, trace: traceByNode(run) }));
      setNote(from);
    };
    api
      .flowVersion(run.flowId, run.version)
      .then((flow) => show(flow, null))
      .catch(() =>
        api
          .getFlowFile(run.flowId)
          .then((f) => {
            if (f.flow === null) throw new Error('The flow file is not valid JSON.');
            show(f.flow, `Version ${run.version} is not deployed; showing the flow file.`);
          })
          .catch(() => setNote('The flow this run belongs to is not available.')),
      );
    return () => {
      cancelled = true;
    };
  }, [api, run, store]);
  useEffect(() => {
    store.set((s) => (s.history ? { ...s, run, trace: traceByNode(run) } : s));
  }, [run, store]);

  return (
    <div className="run-view">
      <dl className="facts facts--row">
        <dt>Status</dt>
        <dd>
          <span role="status" aria-label="Run status">
            <Badge tone={statusTone(run.status)}>{run.status}</Badge>
          </span>
        </dd>
        <dt>Flow</dt>
        <dd>
          {run.flowId} <span className="mono muted">v{run.version}</span>
        </dd>
        <dt>Started</dt>
        <dd>
          <Timestamp value={run.createdAt} />
        </dd>
        {Object.entries(run.businessKeys).map(([k, v]) => (
          <span key={k} className="fact-pair">
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </span>
        ))}
        {run.replayOf && (
          <>
            <dt>Replay of</dt>
            <dd>
              <a
                className="mono"
                href={runHref(run.replayOf.runId)}
                title="The run this one replays"
              >
                {run.replayOf.runId}
              </a>
            </dd>
          </>
        )}
        {run.replayedBy && (
          <>
            <dt>Replayed by</dt>
            <dd>
              <a
                className="mono"
                href={runHref(run.replayedBy)}
                title="The run that replays this one"
              >
                {run.replayedBy}
              </a>
            </dd>
          </>
        )}
      </dl>
      {note && <p className="callout callout--info">{note}</p>}
      <div className="run-view__body">
        <div className="run-view__canvas">
          {doc ? (
            <ReactFlowProvider>
              <FlowCanvas store={store} readOnly />
            </ReactFlowProvider>
          ) : (
            <div className="page-loading">Loading the flow…</div>
          )}
        </div>
        <div className="run-view__steps">
          {onReplayed && run.status === 'failed' && (
            <ReplayPanel
              key={run.id}
              run={run}
              nameOf={(id) => doc?.nodes.find((n) => n.id === id)?.name ?? id}
              onReplayed={onReplayed}
            />
          )}
          <StepList run={run} doc={doc} />
        </div>
      </div>
    </div>
  );
}

/** One run by id, polled while it is in progress. */
export function RunDetailPage({ runId }: { runId: string }) {
  const { api } = useServices();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () =>
      api
        .getRun(runId)
        .then((r) => {
          if (stop) return;
          setRun(r);
          if (r.status === 'queued' || r.status === 'running') timer = setTimeout(tick, 500);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    void tick();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId]);
  return (
    <div className="page page--full">
      <header className="page__header">
        <div>
          <a href="#/runs" className="muted small">
            ← Runs
          </a>
          <h1>
            Run <span className="mono">{runId}</span>
          </h1>
        </div>
        {run && <SaveTestCaseButton run={run} />}
      </header>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      {run && <RunView run={run} onReplayed={(id) => navigate({ page: 'run', runId: id })} />}
    </div>
  );
}
