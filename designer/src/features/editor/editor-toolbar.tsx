import { type Diagnostic, type FlowDocument, hasErrors } from '@crossdock/nodes';
import { useRef } from 'react';
import { Button } from '../../components/button';
import { navigate } from '../../lib/router';
import type { CanvasActions } from './use-canvas-actions';
import type { FileActions } from './use-file-actions';

export interface EditorToolbarProps {
  doc: FlowDocument;
  diagnostics: readonly Diagnostic[];
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** Saving is offered only where the runtime takes writes (development). */
  editable: boolean;
  canvas: CanvasActions;
  files: FileActions;
  onUndo(): void;
  onRedo(): void;
  /** Opens a bottom panel: the validity badge opens problems, Test run the test panel. */
  onPanel(tab: 'problems' | 'test'): void;
}

/** The flow's name, version and validity on the left; history, canvas and file actions right. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { doc, diagnostics, dirty, canvas, files } = props;
  const importInput = useRef<HTMLInputElement>(null);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return (
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
          onClick={() => props.onPanel('problems')}
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
          disabled={!props.canUndo}
          onClick={props.onUndo}
        >
          ↶
        </Button>
        <Button
          size="sm"
          variant="ghost"
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
          disabled={!props.canRedo}
          onClick={props.onRedo}
        >
          ↷
        </Button>
        <Button size="sm" variant="ghost" title="Auto-layout (Shift+L)" onClick={canvas.layout}>
          Auto-layout
        </Button>
        <Button size="sm" variant="ghost" title="Zoom to fit (Shift+F)" onClick={canvas.fit}>
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
          onChange={(e) => void files.importFile(e.target.files?.[0])}
        />
        <Button size="sm" variant="ghost" onClick={() => files.exportFile(doc)}>
          Export
        </Button>
        <Button size="sm" onClick={() => props.onPanel('test')}>
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
          onClick={() => void files.deploy()}
        >
          Deploy
        </Button>
        {props.editable && (
          <Button size="sm" variant="primary" onClick={() => files.setSaveOpen(true)}>
            Save
          </Button>
        )}
      </div>
    </div>
  );
}
