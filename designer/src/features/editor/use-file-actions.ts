import type { FlowDocument } from '@crossdock/nodes';
import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { type ApiClient, ApiError } from '../../lib/api-client';
import { navigate } from '../../lib/router';
import {
  type EditorStore,
  editDocument,
  notify,
  openDocument,
  selectDoc,
} from '../../store/editor-store';
import { FIT_VIEW_OPTIONS } from '../canvas/flow-canvas';
import { exportFlowText, importFlowText } from '../flow-files/flow-io';

/** Hands `text` to the browser as a file download named `name`. */
function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface FileActions {
  /** A save is under way (the dialog's button waits). */
  saving: boolean;
  saveOpen: boolean;
  setSaveOpen(open: boolean): void;
  /** Writes the flow to flows/ as `version`, then opens the saved file's address. */
  save(version: string): Promise<void>;
  /** Deploys the saved version to this runtime. */
  deploy(): Promise<void>;
  /** Opens a flow file from disk as a new, unsaved document. */
  importFile(file: File | undefined): Promise<void>;
  /** Downloads the document as its flow file. */
  exportFile(doc: FlowDocument): void;
}

/** Save, deploy, import and export of the open flow, each telling the analyst how it went. */
export function useFileActions(
  api: ApiClient,
  store: EditorStore,
  flowId: string | null,
): FileActions {
  const flow = useReactFlow();
  const [saving, setSaving] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);

  const save = async (version: string) => {
    const current = selectDoc(store.get());
    if (!current) return;
    const next: FlowDocument = { ...current, version };
    setSaving(true);
    try {
      const saved = await api.saveFlowFile(next.id, next);
      editDocument(store, () => next);
      store.set((s) => ({
        ...s,
        fileId: saved.id,
        savedText: saved.text,
        savedDoc: s.history?.present ?? null,
      }));
      notify(store, 'info', `Saved ${saved.id} version ${version}.`);
      setSaveOpen(false);
      if (flowId !== saved.id) navigate({ page: 'editor', flowId: saved.id });
    } catch (e) {
      const msg =
        e instanceof ApiError && e.code === 'read-only-environment'
          ? 'This environment is read-only: flows are saved in development only.'
          : message(e);
      notify(store, 'error', `Not saved: ${msg}`);
    } finally {
      setSaving(false);
    }
  };

  const deploy = async () => {
    const current = selectDoc(store.get());
    if (!current) return;
    try {
      const r = await api.deploy(current);
      notify(
        store,
        'info',
        r.created
          ? `Deployed ${current.id} version ${r.version}.`
          : `Version ${r.version} of ${current.id} is deployed already, unchanged.`,
      );
    } catch (e) {
      const hint =
        e instanceof ApiError && e.code === 'version-conflict'
          ? ' Save with a new version first.'
          : '';
      notify(store, 'error', `Not deployed: ${message(e)}${hint}`);
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const r = importFlowText(await file.text());
    if ('error' in r) notify(store, 'error', `Import failed: ${r.error}`);
    else {
      openDocument(store, null, r.doc, null);
      requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
      notify(store, 'info', `Imported ${r.doc.id}: save to write it to flows/.`);
    }
  };

  const exportFile = (doc: FlowDocument) => download(`${doc.id}.flow.json`, exportFlowText(doc));

  return { saving, saveOpen, setSaveOpen, save, deploy, importFile, exportFile };
}
