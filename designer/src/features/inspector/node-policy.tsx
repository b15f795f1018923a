import type { FlowNode, RetryPolicy } from '@crossdock/nodes';
import { type EditorStore, editDocument } from '../../store/editor-store';
import { updateNode } from '../canvas/flow-edit';

/** A whole number from a field, or undefined when it is empty or not a number. */
export function wholeNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const BACKOFF = { initialMs: 1000, multiplier: 2, maxMs: 60_000, jitter: 0.2 };

/**
 * A node's own retry policy and timeout (the flow's defaults apply when empty). Attempts and the
 * first delay are what an analyst tunes; the rest of the backoff keeps the flow's shape.
 */
export function NodePolicy({ store, node }: { store: EditorStore; node: FlowNode }) {
  const set = (patch: { retry?: RetryPolicy | undefined; timeoutMs?: number | undefined }) =>
    editDocument(store, (d) =>
      updateNode(d, node.id, (n) => {
        const next: FlowNode = { ...n };
        if ('retry' in patch) {
          if (patch.retry) next.retry = patch.retry;
          else delete next.retry;
        }
        if ('timeoutMs' in patch) {
          if (patch.timeoutMs !== undefined) next.timeoutMs = patch.timeoutMs;
          else delete next.timeoutMs;
        }
        return next;
      }),
    );
  const retry = node.retry;
  return (
    <details
      className="node-policy"
      open={retry !== undefined || node.timeoutMs !== undefined || undefined}
    >
      <summary>Retries and timeout</summary>
      <label className="field">
        <span className="control-label">Attempts (1 = no retry; empty = the flow’s default)</span>
        <input
          className="form-control"
          type="number"
          min={1}
          max={20}
          value={retry?.maxAttempts ?? ''}
          onChange={(e) => {
            const attempts = wholeNumber(e.target.value);
            set({
              retry:
                attempts === undefined || attempts < 1
                  ? undefined
                  : { maxAttempts: attempts, backoff: retry?.backoff ?? BACKOFF },
            });
          }}
        />
      </label>
      {retry && (
        <label className="field">
          <span className="control-label">First retry after (ms, doubling up to a minute)</span>
          <input
            className="form-control"
            type="number"
            min={0}
            value={retry.backoff.initialMs}
            onChange={(e) =>
              set({
                retry: {
                  ...retry,
                  backoff: { ...retry.backoff, initialMs: wholeNumber(e.target.value) ?? 0 },
                },
              })
            }
          />
        </label>
      )}
      <label className="field">
        <span className="control-label">Timeout per attempt (ms; empty = the flow’s default)</span>
        <input
          className="form-control"
          type="number"
          min={1}
          value={node.timeoutMs ?? ''}
          onChange={(e) => {
            const ms = wholeNumber(e.target.value);
            set({ timeoutMs: ms === undefined || ms < 1 ? undefined : ms });
          }}
        />
      </label>
    </details>
  );
}
