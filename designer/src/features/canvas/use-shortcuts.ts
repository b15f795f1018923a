import { catalog } from '@crossdock/nodes';
import { useEffect, useRef } from 'react';
import {
  type EditorStore,
  editDocument,
  redo,
  select,
  selectDoc,
  undo,
} from '../../store/editor-store';
import { copySelection, isClipboardContent, paste } from './clipboard';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export interface ShortcutActions {
  layout: () => void;
  fit: () => void;
}

/**
 * The editor's keyboard shortcuts: undo/redo, copy/paste, select all, auto-layout (Shift+L) and
 * zoom to fit (Shift+F). Delete is React Flow's own. Keys typed into a field are left alone.
 */
export function useShortcuts(store: EditorStore, actions: ShortcutActions): void {
  const clipboard = useRef<unknown>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const doc = selectDoc(store.get());
      if (mod && key === 'z' && !e.shiftKey) undo(store);
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) redo(store);
      else if (mod && key === 'c' && doc) {
        clipboard.current = copySelection(doc, store.get().selectedNodes);
      } else if (mod && key === 'v') {
        const content = clipboard.current;
        if (!isClipboardContent(content)) return;
        let ids: string[] = [];
        editDocument(store, (d) => {
          const isTrigger = (t: string) => catalog.get(t)?.category === 'trigger';
          const r = paste(d, content, { x: 40, y: 40 }, isTrigger);
          ids = r.ids;
          return r.doc;
        });
        select(store, ids, []);
      } else if (mod && key === 'a' && doc) {
        select(
          store,
          doc.nodes.map((n) => n.id),
          [],
        );
      } else if (e.shiftKey && key === 'l') actions.layout();
      else if (e.shiftKey && key === 'f') actions.fit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, actions]);
}
