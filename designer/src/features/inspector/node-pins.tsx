import type { FlowNode, JsonValue, NodeManifest } from '@crossdock/nodes';
import { useState } from 'react';
import { Button } from '../../components/button';
import { type NodePin, stepOutput } from '../../lib/api-types';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import { type EditorStore, notify } from '../../store/editor-store';
import { JsonInput } from './json-input';

/**
 * A node's pinned samples: the input its form's source tree and previews read, and for a
 * side-effecting node the answer a safe test run gives instead of calling the system. Kept in
 * `flows/samples/<flow>/nodes/<node>.json`, so they work without a prior run and go into git.
 */
export function NodePins(props: { store: EditorStore; node: FlowNode; manifest: NodeManifest }) {
  const { store, node, manifest } = props;
  const { api } = useServices();
  const fileId = useStore(store, (s) => s.fileId);
  const pin = useStore(store, (s) => s.pins[node.id]);
  const step = useStore(store, (s) => s.run?.steps.findLast((st) => st.nodeId === node.id));
  const [input, setInput] = useState<JsonValue | undefined>(pin?.input);
  const [output, setOutput] = useState<JsonValue | undefined>(pin?.output);
  const [busy, setBusy] = useState(false);

  const save = async (next: NodePin) => {
    if (!fileId) return;
    setBusy(true);
    try {
      await api.pin(fileId, node.id, next);
      store.set((s) => {
        const pins = { ...s.pins };
        if (next.input === undefined && next.output === undefined) delete pins[node.id];
        else pins[node.id] = next;
        return { ...s, pins };
      });
      notify(store, 'info', `Pinned samples of ${node.name} saved.`);
    } catch (e) {
      notify(store, 'error', e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const draft: NodePin = {
    ...(input !== undefined ? { input } : {}),
    ...(manifest.sideEffects && output !== undefined ? { output } : {}),
  };
  const pinned = pin?.input !== undefined || pin?.output !== undefined;
  return (
    <details className="node-pins" open={pinned || undefined}>
      <summary>
        Pinned sample{pinned ? <span className="node-pins__mark"> · pinned</span> : null}
      </summary>
      {!fileId ? (
        <p className="muted">Save the flow once to pin samples for its nodes.</p>
      ) : (
        <>
          <span className="control-label">Message it reads</span>
          <JsonInput
            label={`Pinned input of ${node.name}`}
            value={input}
            onChange={setInput}
            onClear={() => setInput(undefined)}
            rows={4}
          />
          {manifest.sideEffects && (
            <>
              <span className="control-label">Answer of the system</span>
              <p className="field-description">
                A safe test run returns this instead of sending the request.
              </p>
              <JsonInput
                label={`Pinned answer of ${node.name}`}
                value={output}
                onChange={setOutput}
                onClear={() => setOutput(undefined)}
                rows={3}
              />
            </>
          )}
          <div className="node-pins__actions">
            <Button size="sm" variant="primary" disabled={busy} onClick={() => void save(draft)}>
              Pin sample
            </Button>
            {step && (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  setInput(step.input);
                  if (manifest.sideEffects && (step.notSent ?? []).length === 0)
                    setOutput(stepOutput(step));
                }}
              >
                Use last run
              </Button>
            )}
            {pinned && (
              <Button
                size="sm"
                variant="ghost"
                disabled={busy}
                onClick={() => {
                  setInput(undefined);
                  setOutput(undefined);
                  void save({});
                }}
              >
                Unpin
              </Button>
            )}
          </div>
        </>
      )}
    </details>
  );
}
