import type { FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import {
  createEditorStore,
  editDocument,
  focusField,
  openDocument,
  redo,
  selectDoc,
  undo,
} from './editor-store';

const doc: FlowDocument = {
  schemaVersion: 1,
  id: 'f',
  name: 'F',
  version: '1.0.0',
  settings: {},
  nodes: [{ id: 'a', type: 'trigger.manual', name: 'A', position: { x: 0, y: 0 }, config: {} }],
  edges: [],
};

const moveTo = (x: number) => (d: FlowDocument) => ({
  ...d,
  nodes: d.nodes.map((n) => ({ ...n, position: { x, y: 0 } })),
});

describe('editor store', () => {
  it('folds a drag into one undo step', () => {
    const store = createEditorStore();
    openDocument(store, 'f', doc, '{}');
    editDocument(store, moveTo(10), { transient: true });
    editDocument(store, moveTo(20), { transient: true });
    editDocument(store, (d) => d);
    expect(selectDoc(store.get())?.nodes[0]?.position.x).toBe(20);
    expect(store.get().history?.past).toHaveLength(1);
    undo(store);
    expect(selectDoc(store.get())).toBe(doc);
    redo(store);
    expect(selectDoc(store.get())?.nodes[0]?.position.x).toBe(20);
  });

  it('drops selected nodes that an undo removes', () => {
    const store = createEditorStore();
    openDocument(store, 'f', doc, '{}');
    editDocument(store, (d) => ({
      ...d,
      nodes: [
        ...d.nodes,
        { id: 'b', type: 'mapping.map', name: 'B', position: { x: 0, y: 0 }, config: {} },
      ],
    }));
    store.set((s) => ({ ...s, selectedNodes: new Set(['a', 'b']) }));
    undo(store);
    expect([...store.get().selectedNodes]).toEqual(['a']);
  });

  it('ignores edits that change nothing and focuses a field by selecting its node', () => {
    const store = createEditorStore();
    openDocument(store, 'f', doc, '{}');
    editDocument(store, (d) => d);
    expect(store.get().history?.past).toHaveLength(0);
    focusField(store, 'a', ['connection']);
    expect([...store.get().selectedNodes]).toEqual(['a']);
    expect(store.get().focus).toMatchObject({ nodeId: 'a', pointer: ['connection'], seq: 1 });
  });
});

describe('undo groups', () => {
  it('makes keystrokes in one field one undo step, and a different field another', () => {
    const store = createEditorStore();
    openDocument(store, 'f', doc, null);
    const rename = (name: string) => (d: FlowDocument) => ({
      ...d,
      nodes: d.nodes.map((n) => ({ ...n, name })),
    });
    for (const name of ['O', 'Or', 'Ord', 'Orde', 'Order']) {
      editDocument(store, rename(name), { group: 'name:a' });
    }
    editDocument(store, moveTo(40));
    editDocument(store, rename('Order 2'), { group: 'name:a' });
    expect(selectDoc(store.get())?.nodes[0]?.name).toBe('Order 2');
    undo(store);
    expect(selectDoc(store.get())?.nodes[0]).toMatchObject({ name: 'Order', position: { x: 40 } });
    undo(store);
    expect(selectDoc(store.get())?.nodes[0]).toMatchObject({ name: 'Order', position: { x: 0 } });
    undo(store);
    expect(selectDoc(store.get())?.nodes[0]?.name).toBe('A');
  });
});
