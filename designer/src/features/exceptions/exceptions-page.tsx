import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { failedNodeOf, type Run, type RunSummary } from '../../lib/api-types';
import { navigate } from '../../lib/router';
import { useServices } from '../../store/editor-context';
import { RunView } from '../runs/run-view';
import { REFRESH_MS, RunTable } from '../runs/runs-page';
import '../runs/runs.css';

function failedStep(run: Run) {
  return [...run.steps]
    .reverse()
    .find((s) => s.status === 'failed' && s.nodeId === failedNodeOf(run));
}

function ExceptionDetail({ run, onDone }: { run: Run; onDone: (message: ReactNode) => void }) {
  const { api } = useServices();
  const step = failedStep(run);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const [reason, setReason] = useState('');

  const discard = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.discard(run.id, reason.trim());
      setDiscarding(false);
      onDone(`Run ${run.id} discarded.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="exception-detail" aria-label="Exception detail">
      <div className="exception-detail__actions">
        <div className="exception-detail__error">
          {step?.error ? (
            <>
              <strong>{step.error.errorClass}</strong>{' '}
              <span className="mono">{step.error.code}</span>
              <div>{step.error.message}</div>
            </>
          ) : (
            <span className="muted">No failed step recorded.</span>
          )}
        </div>
        <div className="exception-detail__buttons">
          <Button variant="danger" disabled={busy} onClick={() => setDiscarding(true)}>
            Discard…
          </Button>
        </div>
      </div>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <RunView
        run={run}
        onReplayed={(id) =>
          onDone(
            <>
              Replayed as run <a href={`#/runs/${encodeURIComponent(id)}`}>{id}</a>.
            </>,
          )
        }
      />
      <Dialog
        title="Discard this run?"
        open={discarding}
        onClose={() => setDiscarding(false)}
        footer={
          <>
            <Button onClick={() => setDiscarding(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={reason.trim() === '' || busy}
              onClick={() => void discard()}
            >
              Discard run
            </Button>
          </>
        }
      >
        <label className="field">
          <span className="control-label">Reason</span>
          <textarea
            className="form-control"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      </Dialog>
    </section>
  );
}

/** Failed runs waiting for an operator: replay from the failed step, or discard with a reason. */
export function ExceptionsPage({ runId }: { runId: string | null }) {
  const { api } = useServices();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [selected, setSelected] = useState<Run | null>(null);
  const [message, setMessage] = useState<ReactNode>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .listExceptions()
      .then(setRuns)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => {
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    if (!runId) {
      setSelected(null);
      return;
    }
    api
      .getRun(runId)
      .then(setSelected)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [api, runId]);
  return (
    <div className="page page--full">
      <header className="page__header">
        <div>
          <h1>Exception queue</h1>
          <p className="muted">Runs that failed after their last retry and wait for a decision.</p>
        </div>
        <Button variant="ghost" onClick={load}>
          Refresh
        </Button>
      </header>
      {message && (
        <p className="callout callout--success" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <RunTable
        runs={runs ?? []}
        label="Failed runs"
        hrefFor={(r) => `#/exceptions/${encodeURIComponent(r.id)}`}
      />
      {selected && (
        <ExceptionDetail
          key={selected.id}
          run={selected}
          onDone={(m) => {
            setMessage(m);
            load();
            navigate({ page: 'exceptions', runId: null });
          }}
        />
      )}
    </div>
  );
}
