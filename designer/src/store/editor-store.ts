import type { Diagnostic, FlowDocument, JsonPath } from '@crossdock/nodes';
import type { NodeTrace } from '../features/canvas/canvas-types';
import type { NodePin, Run, Sample } from '../lib/api-types';
import { createStore, type Store } from './create-store';
import {
  createHistory,
  type History,
  pushHistory,
  redo as redoHistory,
  replacePresent,
  undo as undoHistory,
} from './history';

/** Where the inspector should put the cursor: a node and a JSON path inside it. */
export interface FieldFocus {
  nodeId: string;
  pointer: JsonPath;
  seq: number;
}

/**
 * The editor's state. The flow document (in `history.present`) is the source of truth; selection,
 * focus, diagnostics and the trace are UI state derived from it or layered on it.
 */
export interface EditorState {
  fileId: string | null;
  /** The text of the file as last loaded or saved, for the save diff. */
  savedText: string | null;
  savedDoc: FlowDocument | null;
  history: History<FlowDocument> | null;
  /** The document before a drag started; the drag becomes one undo step when it ends. */
  dragBase: FlowDocument | null;
  /** The group of the last edit: further edits of the same group (typing in one field) extend it. */
  editGroup: string | null;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  diagnostics: readonly Diagnostic[];
  validationMs: number | null;
  focus: FieldFocus | null;
  run: Run | null;
  trace: ReadonlyMap<string, NodeTrace> | null;
  notice: { kind: 'error' | 'info'; text: string } | null;
  /** The flow's sample payloads, for test runs and the mapping editor. */
  samples: readonly Sample[];
  /** Pinned samples per node id (`flows/samples/<flow>/nodes/`). */
  pins: Readonly<Record<string, NodePin>>;
}

const EMPTY: ReadonlySet<string> = new Set();

export function initialEditorState(): EditorState {
  return {
    fileId: null,
    savedText: null,
    savedDoc: null,
    history: null,
    dragBase: null,
    editGroup: null,
    selectedNodes: EMPTY,
    selectedEdges: EMPTY,
    diagnostics: [],
    validationMs: null,
    focus: null,
    run: null,
    trace: null,
    notice: null,
    samples: [],
    pins: {},
  };
}

export type EditorStore = Store<EditorState>;

export function createEditorStore(): EditorStore {
  return createStore(initialEditorState());
}

export const selectDoc = (s: EditorState): FlowDocument | null => s.history?.present ?? null;

/** Opens a document: a fresh history, nothing selected, no trace. */
export function openDocument(
  store: EditorStore,
  fileId: string | null,
  doc: FlowDocument,
  savedText: string | null,
): void {
  store.set(() => ({
    ...initialEditorState(),
    fileId,
    savedText,
    savedDoc: savedText === null ? null : doc,
    history: createHistory(doc),
  }));
}

/** Drops selected ids that the document no longer has (after a delete, undo or redo). */
function pruneSelection(s: EditorState): EditorState {
  const doc = s.history?.present;
  if (!doc) return s;
  const nodes = new Set(doc.nodes.map((n) => n.id));
  const edges = new Set(doc.edges.map((e) => e.id));
  const keepNodes = [...s.selectedNodes].filter((id) => nodes.has(id));
  const keepEdges = [...s.selectedEdges].filter((id) => edges.has(id));
  if (keepNodes.length === s.selectedNodes.size && keepEdges.length === s.selectedEdges.size) {
    return s;
  }
  return { ...s, selectedNodes: new Set(keepNodes), selectedEdges: new Set(keepEdges) };
}

/** One undoable edit. `transient` edits (a drag in progress) are folded into the next step. */
export function editDocument(
  store: EditorStore,
  edit: (doc: FlowDocument) => FlowDocument,
  options: { transient?: boolean; group?: string } = {},
): void {
  store.set((s) => {
    if (!s.history) return s;
    const next = edit(s.history.present);
    if (next === s.history.present && !(s.dragBase && !options.transient)) return s;
    // Keystrokes in one field are one undo step: the first pushes, the rest replace the present.
    if (options.group !== undefined && !options.transient && !s.dragBase) {
      const history =
        s.editGroup === options.group
          ? replacePresent(s.history, next)
          : pushHistory(s.history, next);
      return pruneSelection({ ...s, editGroup: options.group, history });
    }
    if (options.transient) {
      return {
        ...s,
        dragBase: s.dragBase ?? s.history.present,
        history: replacePresent(s.history, next),
      };
    }
    if (s.dragBase) {
      const base = { ...s.history, present: s.dragBase };
      return pruneSelection({
        ...s,
        dragBase: null,
        editGroup: null,
        history: pushHistory(base, next),
      });
    }
    return pruneSelection({ ...s, editGroup: null, history: pushHistory(s.history, next) });
  });
}

export function undo(store: EditorStore): void {
  store.set((s) =>
    s.history
      ? pruneSelection({ ...s, dragBase: null, editGroup: null, history: undoHistory(s.history) })
      : s,
  );
}

export function redo(store: EditorStore): void {
  store.set((s) =>
    s.history
      ? pruneSelection({ ...s, dragBase: null, editGroup: null, history: redoHistory(s.history) })
      : s,
  );
}

export function select(store: EditorStore, nodes: readonly string[], edges: readonly string[]) {
  store.set((s) => ({ ...s, selectedNodes: new Set(nodes), selectedEdges: new Set(edges) }));
}

export function notify(store: EditorStore, kind: 'error' | 'info', text: string): void {
  store.set((s) => ({ ...s, notice: { kind, text } }));
}

/** Selects a node and asks the inspector to focus a field in it. */
export function focusField(store: EditorStore, nodeId: string, pointer: JsonPath): void {
  store.set((s) => ({
    ...s,
    selectedNodes: new Set([nodeId]),
    selectedEdges: EMPTY,
    focus: { nodeId, pointer, seq: (s.focus?.seq ?? 0) + 1 },
  }));
}
