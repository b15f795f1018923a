import { catalog, type FlowDocument, hasErrors, isJsonObject } from '@crossdock/nodes';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BottomDock } from '../../components/bottom-dock';
import { Button } from '../../components/button';
import { ApiError } from '../../lib/api-client';
import { navigate } from '../../lib/router';
import { useStore } from '../../store/create-store';
import { useServices } from '../../store/editor-context';
import {
  editDocument,
  notify,
  openDocument,
  redo,
  select,
  selectDoc,
  undo,
} from '../../store/editor-store';
import { FIT_VIEW_OPTIONS, FlowCanvas } from '../canvas/flow-canvas';
import { addNode } from '../canvas/flow-edit';
import { autoLayout, type Box, flowBounds, frameFlow } from '../canvas/layout';
import { ProblemsPanel } from '../canvas/problems-panel';
import { useShortcuts } from '../canvas/use-shortcuts';
import { useValidation } from '../canvas/use-validation';
import { EnvironmentContext } from '../inspector/connection-widget';
import { Inspector } from '../inspector/inspector';
import { Palette } from '../palette/palette';
import { TestRunPanel } from '../runs/test-run-panel';
import { exportFlowText, importFlowText, newFlow } from './flow-io';
import { SaveDialog } from './save-dialog';

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

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
  // Leaving with unsaved edits asks first: closing the tab, and moving to another page of the app.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const here = window.location.hash;
    const onHash = (e: HashChangeEvent) => {
      if (window.location.hash === here) return;
      if (!window.confirm('This flow has unsaved changes. Leave without saving?')) {
        e.stopImmediatePropagation();
        window.history.replaceState(null, '', new URL(e.oldURL).hash || here);
      }
    };
    window.addEventListener('beforeunload', onUnload);
    // Capture phase, so the router does not see a change the analyst cancels.
    window.addEventListener('hashchange', onHash, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      window.removeEventListener('hashchange', onHash, true);
    };
  }, [dirty]);
  const [bottom, setBottomTab] = useState<'problems' | 'test'>('problems');
  const [dockCollapsed, setDockCollapsed] = useState(false);
  // Asking for a panel (a tab, the validity badge, Test run) opens the dock if it was collapsed.
  const setBottom = (tab: 'problems' | 'test') => {
    setBottomTab(tab);
    setDockCollapsed(false);
  };
  const [saving, setSaving] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const importInput = useRef<HTMLInputElement>(null);
  const flow = useReactFlow();
  useValidation(store, environment);

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

  const addAtCenter = useCallback(
    (type: string) => {
      const pane = document.querySelector('.canvas')?.getBoundingClientRect();
      const p = pane
        ? flow.screenToFlowPosition({ x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 })
        : { x: 0, y: 0 };
      let error: string | undefined;
      let id: string | undefined;
      editDocument(store, (d) => {
        const r = addNode(d, catalog, type, {
          x: p.x - 120 + d.nodes.length * 16,
          y: p.y - 48 + d.nodes.length * 16,
        });
        if ('id' in r) id = r.id;
        else error = r.error;
        return r.doc;
      });
      if (error) notify(store, 'error', error);
      if (id) select(store, [id], []);
    },
    [flow, store],
  );

  const layout = useCallback(() => {
    // Measured sizes: a switch or a catch with many ports is taller than the default card.
    const sizes = new Map(
      flow
        .getNodes()
        .flatMap((n) =>
          n.measured?.width && n.measured.height
            ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const]
            : [],
        ),
    );
    let bounds: Box | null = null;
    editDocument(store, (d) => {
      const laid = autoLayout(d, sizes);
      bounds = flowBounds(laid, sizes);
      return laid;
    });
    const pane = document.querySelector('.editor .canvas');
    if (bounds && pane) {
      const viewport = frameFlow(bounds, { width: pane.clientWidth, height: pane.clientHeight });
      void flow.setViewport(viewport, { duration: 200 });
    }
  }, [flow, store]);

  const fit = useCallback(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }), [flow]);
  const shortcuts = useMemo(() => ({ layout, fit }), [layout, fit]);
  useShortcuts(store, shortcuts);

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
          : e instanceof Error
            ? e.message
            : String(e);
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
      notify(store, 'error', `Not deployed: ${e instanceof Error ? e.message : String(e)}${hint}`);
    }
  };

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    const r = importFlowText(await file.text());
    if ('error' in r) notify(store, 'error', `Import failed: ${r.error}`);
    else {
      openDocument(store, null, r.doc, null);
      requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
      notify(store, 'info', `Imported ${r.doc.id}: save to write it to flows/.`);
    }
  };

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
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
  return (
    <EnvironmentContext value={environment}>
      <div className="editor">
        <div className="editor__toolbar" role="toolbar" aria-label="Flow actions">
          <div className="editor__title">
            <Button
              variant="ghost"
              size="sm"
              aria-label="Back to flows"
              onClick={() => navigate({ page: 'flows' })}
            >
              ←
            </Button>
            <h1>{doc.name}</h1>
            <span className="mono muted">v{doc.version}</span>
            {dirty && <span className="badge badge--warning">unsaved</span>}
            <button
              type="button"
              className={`validity validity--${hasErrors(diagnostics) ? 'error' : warnings > 0 ? 'warning' : 'ok'}`}
              onClick={() => setBottom('problems')}
              aria-label={`${errors} errors, ${warnings} warnings`}
            >
              {errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : 'Valid'}
              {warnings > 0 ? ` · ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}
            </button>
          </div>
          <div className="editor__actions">
            <Button
              size="sm"
              variant="ghost"
              aria-label="Undo"
              title="Undo (Ctrl+Z)"
              disabled={!canUndo}
              onClick={() => undo(store)}
            >
              ↶
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label="Redo"
              title="Redo (Ctrl+Shift+Z)"
              disabled={!canRedo}
              onClick={() => redo(store)}
            >
              ↷
            </Button>
            <Button size="sm" variant="ghost" title="Auto-layout (Shift+L)" onClick={layout}>
              Auto-layout
            </Button>
            <Button size="sm" variant="ghost" title="Zoom to fit (Shift+F)" onClick={fit}>
              Fit
            </Button>
            <span className="toolbar-sep" />
            <Button size="sm" variant="ghost" onClick={() => importInput.current?.click()}>
              Import
            </Button>
            <input
              ref={importInput}
              type="file"
              accept=".json,application/json"
              hidden
              aria-label="Import flow file"
              onChange={(e) => void onImport(e.target.files?.[0])}
            />
            <Button
              size="sm"
              variant="ghost"
              onClick={() => download(`${doc.id}.flow.json`, exportFlowText(doc))}
            >
              Export
            </Button>
            <Button size="sm" onClick={() => setBottom('test')}>
              Test run
            </Button>
            <Button
              size="sm"
              disabled={dirty || errors > 0}
              title={
                dirty
                  ? 'Save before deploying'
                  : errors > 0
                    ? 'Fix the errors before deploying'
                    : 'Deploy the saved version'
              }
              onClick={() => void deploy()}
            >
              Deploy
            </Button>
            {editable && (
              <Button size="sm" variant="primary" onClick={() => setSaveOpen(true)}>
                Save
              </Button>
            )}
          </div>
        </div>
        {notice && (
          <div
            className={`notice notice--${notice.kind}`}
            role={notice.kind === 'error' ? 'alert' : 'status'}
          >
            <span>{notice.text}</span>
            <button
              type="button"
              aria-label="Dismiss message"
              onClick={() => store.set((s) => ({ ...s, notice: null }))}
            >
              ✕
            </button>
          </div>
        )}
        <div className="editor__body">
          <Palette onAdd={addAtCenter} />
          <div className="editor__center">
            <FlowCanvas store={store} />
            <BottomDock
              label="bottom panel"
              collapsed={dockCollapsed}
              onCollapsedChange={setDockCollapsed}
              initialHeight={210}
              header={
                <div className="bottom-panel__tabs" role="tablist" aria-label="Panels">
                  <button
                    type="button"
                    role="tab"
                    aria-selected={bottom === 'problems'}
                    onClick={() => setBottom('problems')}
                  >
                    Problems <span className="count">{diagnostics.length}</span>
                  </button>
                  <button
                    type="button"
                    role="tab"
                    aria-selected={bottom === 'test'}
                    onClick={() => setBottom('test')}
                  >
                    Test run
                  </button>
                </div>
              }
            >
              {bottom === 'problems' ? (
                <ProblemsPanel store={store} />
              ) : (
                <TestRunPanel store={store} />
              )}
            </BottomDock>
          </div>
          <Inspector store={store} />
        </div>
        <SaveDialog
          open={saveOpen}
          before={fileId ? savedDoc : null}
          after={doc}
          errorCount={errors}
          saving={saving}
          onCancel={() => setSaveOpen(false)}
          onSave={(v) => void save(v)}
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
