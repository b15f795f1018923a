import { isJsonObject } from '@crossdock/nodes';
import { useEffect } from 'react';
import type { ApiClient } from '../../lib/api-client';
import { type EditorStore, notify, openDocument, selectDoc } from '../../store/editor-store';
import { newFlow } from '../flow-files/flow-io';

/**
 * Opens the flow file `flowId` in the editor store (a new flow for `null`, unless one is being
 * drafted), then its samples and pinned outputs, which belong to the file.
 */
export function useOpenFlow(
  api: ApiClient,
  store: EditorStore,
  flowId: string | null,
  fileId: string | null,
): void {
  useEffect(() => {
    let cancelled = false;
    if (flowId === null) {
      const current = selectDoc(store.get());
      if (!current || store.get().fileId !== null)
        openDocument(store, null, newFlow('new-flow', 'New flow'), null);
      return;
    }
    if (store.get().fileId === flowId) return;
    api
      .getFlowFile(flowId)
      .then((f) => {
        if (cancelled) return;
        if (isJsonObject(f.flow)) openDocument(store, f.id, f.flow, f.text);
        else {
          const why = f.diagnostics[0]?.message ?? 'it is not a flow document';
          notify(store, 'error', `${f.id}.flow.json cannot be opened: ${why}`);
        }
      })
      .catch((e: unknown) => notify(store, 'error', e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [api, flowId, store]);

  // Samples belong to the file: read them when it is opened or first saved.
  useEffect(() => {
    if (!fileId) return;
    let cancelled = false;
    api
      .samples(fileId)
      .then((samples) => {
        if (!cancelled) store.set((s) => ({ ...s, samples }));
      })
      .catch(() => {
        // No samples is a normal state: the analyst pastes a payload instead.
      });
    api
      .pins(fileId)
      .then((pins) => {
        if (!cancelled) store.set((s) => ({ ...s, pins }));
      })
      .catch(() => {
        // No pins is a normal state too.
      });
    return () => {
      cancelled = true;
    };
  }, [api, fileId, store]);
}
