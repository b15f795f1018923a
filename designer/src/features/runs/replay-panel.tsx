import type { JsonValue } from '@crossdock/nodes';
import { useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/button';
import { failureCodeOf, type Run } from '../../lib/api-types';
import { useServices } from '../../store/editor-context';
import { JsonInput } from '../inspector/json-input';
import { defaultReplayNode, replayPoints } from './replay-start';

const same = (a: JsonValue | undefined, b: JsonValue | undefined) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Replays a failed run from a node the operator picks: by default the failed node, or the node
 * whose error a dead-letter node parked; any node that ran, with its recorded input or a corrected
 * one. The runtime keeps the step's Idempotency-Key unless a corrected input follows a rejection.
 */
export function ReplayPanel(props: {
  run: Run;
  nameOf: (nodeId: string) => string;
  onReplayed: (runId: string) => void;
}) {
  const { run, nameOf, onReplayed } = props;
  const { api } = useServices();
  const points = useMemo(() => replayPoints(run), [run]);
  const preferred = defaultReplayNode(run);
  const [nodeId, setNodeId] = useState(preferred ?? points[0]?.nodeId ?? '');
  const recorded = points.find((p) => p.nodeId === nodeId)?.input;
  const [input, setInput] = useState<JsonValue | undefined>(recorded);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A newly picked node starts from what that node received; polling the same run keeps edits.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the pick changes
  useEffect(() => setInput(recorded), [nodeId, run.id]);

  if (run.dryRun) {
    return (
      <p className="callout callout--info replay-panel">
        A safe test run is not replayed: its replay would call the systems for real. Run the test
        again instead.
      </p>
    );
  }
  const act = async (options: Parameters<typeof api.replay>[1]) => {
    setBusy(true);
    setError(null);
    try {
      onReplayed(await api.replay(run.id, options));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const edited = input !== undefined && !same(input, recorded);
  const reason = (id: string) => {
    if (id !== preferred) return '';
    return failureCodeOf(run) === 'dead-lettered' ? ' (error caught)' : ' (failed)';
  };
  return (
    <section className="replay-panel" aria-label="Replay">
      <h3>Replay</h3>
      <label className="field">
        <span className="control-label">Replay from</span>
        <select
          aria-label="Replay from"
          className="form-control"
          value={nodeId}
          onChange={(e) => setNodeId(e.target.value)}
          disabled={points.length === 0}
        >
          {points.map((p) => (
            <option key={p.nodeId} value={p.nodeId}>
              {nameOf(p.nodeId)}
              {reason(p.nodeId)}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <span className="control-label">
          Input of {nodeId ? nameOf(nodeId) : 'the step'}
          {edited && <span className="replay-panel__edited"> · corrected</span>}
        </span>
        <JsonInput label="Replay input" value={input} onChange={setInput} rows={8} />
        <span className="field-description">
          Unchanged, the step sends the same Idempotency-Key as before; a corrected input after a
          rejection is a new request.
        </span>
      </div>
      {error && (
        <p className="callout callout--danger" role="alert">
          {error}
        </p>
      )}
      <div className="replay-panel__buttons">
        <Button
          variant="primary"
          disabled={busy || nodeId === ''}
          onClick={() => void act({ fromNode: nodeId, ...(edited ? { input } : {}) })}
        >
          {nodeId === preferred ? 'Replay from failed step' : `Replay from ${nameOf(nodeId)}`}
        </Button>
        <Button disabled={busy} onClick={() => void act({ fromStart: true })}>
          Replay from start
        </Button>
      </div>
    </section>
  );
}
