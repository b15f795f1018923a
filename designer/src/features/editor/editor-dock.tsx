import { BottomDock } from '../../components/bottom-dock';
import { useStore } from '../../store/create-store';
import type { EditorStore } from '../../store/editor-store';
import { ProblemsPanel } from '../canvas/problems-panel';
import { TestRunPanel } from '../runs/test-run-panel';

export type DockTab = 'problems' | 'test';

export interface EditorDockProps {
  store: EditorStore;
  tab: DockTab;
  collapsed: boolean;
  onTab(tab: DockTab): void;
  onCollapsedChange(collapsed: boolean): void;
}

/** The panel under the canvas: problems of the flow, or its test run. */
export function EditorDock({ store, tab, collapsed, onTab, onCollapsedChange }: EditorDockProps) {
  const problems = useStore(store, (s) => s.diagnostics.length);
  return (
    <BottomDock
      label="bottom panel"
      collapsed={collapsed}
      onCollapsedChange={onCollapsedChange}
      initialHeight={210}
      header={
        <div className="bottom-panel__tabs" role="tablist" aria-label="Panels">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'problems'}
            onClick={() => onTab('problems')}
          >
            Problems <span className="count">{problems}</span>
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'test'}
            onClick={() => onTab('test')}
          >
            Test run
          </button>
        </div>
      }
    >
      {tab === 'problems' ? <ProblemsPanel store={store} /> : <TestRunPanel store={store} />}
    </BottomDock>
  );
}
