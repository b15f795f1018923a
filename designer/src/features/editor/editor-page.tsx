import { ReactFlowProvider } from '@xyflow/react';
import { useState } from 'react';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import { redo, selectDoc, undo } from '../../store/editor-store';
import { FlowCanvas } from '../canvas/flow-canvas';
import { useValidation } from '../canvas/use-validation';
import { SaveDialog } from '../flow-files/save-dialog';
import { EnvironmentContext } from '../inspector/connection-widget';
import { Inspector } from '../inspector/inspector';
import { Palette } from '../palette/palette';
import { type DockTab, EditorDock } from './editor-dock';
import { EditorNotice } from './editor-notice';
import { EditorToolbar } from './editor-toolbar';
import { useCanvasActions } from './use-canvas-actions';
import { useFileActions } from './use-file-actions';
import { useOpenFlow } from './use-open-flow';
import { useUnsavedGuard } from './use-unsaved-guard';
import './editor.css';

function Editor({ flowId }: { flowId: string | null }) {
  const { api, editor: store, environment } = useServices();
  // Hidden until the runtime says this environment takes writes (development).
  const editable = environment?.editable ?? true;
  const doc = useStore(store, selectDoc);
  const canUndo = useStore(store, (s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useStore(store, (s) => (s.history?.future.length ?? 0) > 0);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const notice = useStore(store, (s) => s.notice);
  const savedDoc = useStore(store, (s) => s.savedDoc);
  const fileId = useStore(store, (s) => s.fileId);
  const dirty = useStore(store, (s) => s.history !== null && s.history.present !== s.savedDoc);
  const [tab, setTab] = useState<DockTab>('problems');
  const [dockCollapsed, setDockCollapsed] = useState(false);
  // Asking for a panel (a tab, the validity badge, Test run) opens the dock if it was collapsed.
  const openPanel = (next: DockTab) => {
    setTab(next);
    setDockCollapsed(false);
  };
  useUnsavedGuard(dirty);
  useValidation(store, environment);
  useOpenFlow(api, store, flowId, fileId);
  const canvas = useCanvasActions(store);
  const files = useFileActions(api, store, flowId);

  if (!doc) {
    return notice?.kind === 'error' ? (
      <div className="page">
        <p className="callout callout--danger" role="alert">
          {notice.text}
        </p>
        <a href="#/flows">← Flows</a>
      </div>
    ) : (
      <div className="page-loading">Loading flow…</div>
    );
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <EnvironmentContext value={environment}>
      <div className="editor">
        <EditorToolbar
          doc={doc}
          diagnostics={diagnostics}
          dirty={dirty}
          canUndo={canUndo}
          canRedo={canRedo}
          editable={editable}
          canvas={canvas}
          files={files}
          onUndo={() => undo(store)}
          onRedo={() => redo(store)}
          onPanel={openPanel}
        />
        <EditorNotice store={store} />
        <div className="editor__body">
          <Palette onAdd={canvas.addAtCenter} />
          <div className="editor__center">
            <FlowCanvas store={store} />
            <EditorDock
              store={store}
              tab={tab}
              collapsed={dockCollapsed}
              onTab={openPanel}
              onCollapsedChange={setDockCollapsed}
            />
          </div>
          <Inspector store={store} />
        </div>
        <SaveDialog
          open={files.saveOpen}
          before={fileId ? savedDoc : null}
          after={doc}
          errorCount={errors}
          saving={files.saving}
          onCancel={() => files.setSaveOpen(false)}
          onSave={(v) => void files.save(v)}
        />
      </div>
    </EnvironmentContext>
  );
}

/** The editor screen: palette, canvas, inspector, problems and test run around one flow. */
export function EditorPage({ flowId }: { flowId: string | null }) {
  return (
    <ReactFlowProvider>
      <Editor flowId={flowId} />
    </ReactFlowProvider>
  );
}
