import { catalog, outputPorts } from '@crossdock/nodes';
import {
  Background,
  BackgroundVariant,
  type Connection,
  ConnectionLineType,
  Controls,
  type EdgeChange,
  type FinalConnectionState,
  type FitViewOptions,
  MiniMap,
  type NodeChange,
  Panel,
  ReactFlow,
  useReactFlow,
  type Viewport,
} from '@xyflow/react';
import {
  type CSSProperties,
  type DragEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useStore } from '../../store/create-store';
import {
  type EditorStore,
  editDocument,
  notify,
  select,
  selectDoc,
} from '../../store/editor-store';
import { AddAfterDialog, type AddAfterRequest, CanvasActions } from './add-after';
import { createCanvasMapper } from './canvas-cache';
import type { CanvasNode } from './canvas-types';
import { CARD_GRIP, CARD_SIZE } from './card-size';
import { addConnectedNode, addNode, canConnect, connect } from './flow-edit';
import { FlowNodeCard } from './flow-node';
import { applyCanvasChanges } from './to-canvas';
import { windowNodes } from './windowing';
import './canvas.css';

/** React Flow must get the same object on every render, or it remounts every node. */
const nodeTypes = { flow: FlowNodeCard };
const defaultEdgeOptions = { type: 'smoothstep' as const };
const proOptions = { hideAttribution: true };
/**
 * How every fit (on open, Fit, Auto-layout) frames the flow: never past 100% (a one-node flow
 * would open at 200%), and clear of the zoom controls (bottom left) and the minimap (bottom
 * right), so that after a fit neither covers a card.
 */
export const FIT_VIEW_OPTIONS: FitViewOptions = {
  maxZoom: 1,
  padding: { top: '40px', left: '70px', bottom: '40px', right: '200px' },
};

/** Small enough to fit in the strip the fit options keep free on the right. */
const MINIMAP_SIZE = { width: 170, height: 110 };

/** Room between a card and a node added after one of its ports. */
const ADD_AFTER_GAP = 100;

/** Above this many nodes the canvas opens at reading zoom on the trigger instead of fitting all. */
export const FIT_ON_OPEN_LIMIT = 150;

/** The card width the stylesheet reads (`--card-width`), from the one card-size constant. */
const CARD_STYLE = { '--card-width': `${CARD_SIZE.width}px` } as CSSProperties;

/** Above this many nodes the minimap starts hidden: it would draw every node. */
export const MINIMAP_LIMIT = 300;

/** The MIME type a palette item puts on the drag. */
export const NODE_DRAG_TYPE = 'application/x-crossdock-node';

function toRequest(c: Connection) {
  return {
    source: c.source,
    sourcePort: c.sourceHandle ?? 'out',
    target: c.target,
    targetPort: c.targetHandle ?? 'in',
  };
}

export interface FlowCanvasProps {
  store: EditorStore;
  readOnly?: boolean;
}

/** The canvas: the flow document drawn through `toCanvas`, edits sent back as document edits. */
export function FlowCanvas({ store, readOnly = false }: FlowCanvasProps) {
  const doc = useStore(store, selectDoc);
  const diagnostics = useStore(store, (s) => s.diagnostics);
  const selectedNodes = useStore(store, (s) => s.selectedNodes);
  const selectedEdges = useStore(store, (s) => s.selectedEdges);
  const trace = useStore(store, (s) => s.trace);
  const focus = useStore(store, (s) => s.focus);
  const mapper = useMemo(createCanvasMapper, []);
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const [measuredVersion, setMeasuredVersion] = useState(0);
  const flow = useReactFlow();
  // Fitting a thousand nodes renders a thousand cards; a large flow opens on its trigger instead.
  // The minimap draws every node; on a large flow it is off until asked for.
  const [minimap, setMinimap] = useState(
    () => !readOnly && (doc?.nodes.length ?? 0) <= MINIMAP_LIMIT,
  );
  const [initialViewport] = useState(() => {
    const all = doc?.nodes ?? [];
    if (all.length <= FIT_ON_OPEN_LIMIT) return null;
    const start = all.find((n) => catalog.get(n.type)?.category === 'trigger') ?? all[0];
    return { x: 120 - (start?.position.x ?? 0), y: 240 - (start?.position.y ?? 0), zoom: 1 };
  });

  const all = useMemo(() => {
    void measuredVersion;
    if (!doc) return { nodes: [], edges: [] };
    return mapper(doc, {
      catalog,
      diagnostics,
      selectedNodes,
      selectedEdges,
      trace,
      measured: measured.current,
    });
  }, [doc, diagnostics, selectedNodes, selectedEdges, trace, mapper, measuredVersion]);

  // Large flows are handed to React Flow a screen at a time (see windowNodes).
  const [view, setView] = useState<Viewport | null>(initialViewport);
  const mounted = useRef(new Set<string>());
  const container = useRef<HTMLDivElement>(null);
  const { nodes, edges } = useMemo(() => {
    if (!view) return all;
    const el = container.current;
    const pane = { width: el?.clientWidth || 1280, height: el?.clientHeight || 800 };
    return windowNodes(all.nodes, all.edges, view, pane, mounted.current);
  }, [all, view]);
  const onMoveEnd = useCallback(
    (_: unknown, vp: Viewport) => {
      if (initialViewport) setView(vp);
    },
    [initialViewport],
  );

  useEffect(() => {
    if (!focus) return;
    const node = store.get().history?.present.nodes.find((n) => n.id === focus.nodeId);
    if (!node) return;
    const size = measured.current.get(node.id) ?? CARD_SIZE;
    const vp = flow.getViewport();
    const pane = container.current;
    const left = node.position.x * vp.zoom + vp.x;
    const top = node.position.y * vp.zoom + vp.y;
    const inView =
      pane !== null &&
      vp.zoom >= 0.5 &&
      left >= 0 &&
      top >= 0 &&
      left + size.width * vp.zoom <= pane.clientWidth &&
      top + size.height * vp.zoom <= pane.clientHeight;
    // Move only when the node is off screen or too small to read: the analyst keeps their place.
    if (inView) return;
    void flow.setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
      zoom: Math.max(vp.zoom, 0.9),
      duration: 200,
    });
  }, [focus, flow, store]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let sized = false;
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          measured.current.set(c.id, c.dimensions);
          sized = true;
        } else if (c.type === 'select') {
          selection ??= new Set(store.get().selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (sized) setMeasuredVersion((v) => v + 1);
      if (selection) select(store, [...selection], [...store.get().selectedEdges]);
      if (readOnly) return;
      const dragging = changes.some((c) => c.type === 'position' && c.dragging);
      // Removals arrive through onDelete, nodes and edges together, as one undo step.
      const docChanges = changes.filter((c) => c.type === 'position');
      if (docChanges.length > 0) {
        editDocument(store, (d) => applyCanvasChanges(d, docChanges), { transient: dragging });
      }
    },
    [store, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'select') {
          selection ??= new Set(store.get().selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (selection) select(store, [...store.get().selectedNodes], [...selection]);
    },
    [store],
  );

  const onDelete = useCallback(
    (deleted: { nodes: { id: string }[]; edges: { id: string }[] }) => {
      if (readOnly) return;
      const removed = [...deleted.nodes, ...deleted.edges].map((e) => ({
        type: 'remove' as const,
        id: e.id,
      }));
      editDocument(store, (d) => applyCanvasChanges(d, removed));
    },
    [store, readOnly],
  );

  const isValidConnection = useCallback(
    (
      c:
        | Connection
        | {
            source: string;
            target: string;
            sourceHandle?: string | null;
            targetHandle?: string | null;
          },
    ) => {
      const d = selectDoc(store.get());
      return (
        !readOnly &&
        d !== null &&
        canConnect(
          d,
          catalog,
          toRequest({
            ...c,
            sourceHandle: c.sourceHandle ?? null,
            targetHandle: c.targetHandle ?? null,
          }),
        ).ok
      );
    },
    [store, readOnly],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      let error: string | undefined;
      editDocument(store, (d) => {
        const r = connect(d, catalog, toRequest(c));
        error = r.error;
        return r.doc;
      });
      if (error) notify(store, 'error', error);
    },
    [store],
  );

  const [adding, setAdding] = useState<AddAfterRequest | null>(null);
  const request = useCallback(
    (nodeId: string, port: string, at?: { x: number; y: number }) => {
      const d = selectDoc(store.get());
      const node = d?.nodes.find((n) => n.id === nodeId);
      const manifest = node ? catalog.get(node.type) : undefined;
      if (!node || !manifest) return;
      const ports = outputPorts(manifest, node.config);
      const index = Math.max(
        0,
        ports.findIndex((p) => p.id === port),
      );
      const width = measured.current.get(nodeId)?.width ?? CARD_SIZE.width;
      setAdding({
        nodeId,
        nodeName: node.name,
        port,
        portLabel: ports[index]?.label ?? port,
        position: at ?? {
          x: node.position.x + width + ADD_AFTER_GAP,
          y: node.position.y + (index - (ports.length - 1) / 2) * 110,
        },
      });
    },
    [store],
  );
  const actions = useMemo(
    () => (readOnly ? null : { addAfter: (nodeId: string, port: string) => request(nodeId, port) }),
    [readOnly, request],
  );
  const pick = useCallback(
    (type: string) => {
      if (!adding) return;
      let added: string | null = null;
      let error: string | undefined;
      editDocument(store, (d) => {
        const r = addConnectedNode(
          d,
          catalog,
          type,
          { nodeId: adding.nodeId, port: adding.port },
          adding.position,
        );
        if ('id' in r) added = r.id;
        else error = r.error;
        return r.doc;
      });
      setAdding(null);
      if (error) notify(store, 'error', error);
      if (added) select(store, [added], []);
    },
    [adding, store],
  );

  // A wire let go away from any port: from an output on empty canvas, offer a node to add there;
  // otherwise say what was missed, instead of the wire silently vanishing.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (readOnly || state.isValid || !state.fromHandle) return;
      if (state.toHandle && state.fromNode && state.toNode) {
        const out = state.fromHandle.type === 'source';
        const d = selectDoc(store.get());
        const verdict = d
          ? canConnect(d, catalog, {
              source: out ? state.fromNode.id : state.toNode.id,
              sourcePort: (out ? state.fromHandle.id : state.toHandle.id) ?? 'out',
              target: out ? state.toNode.id : state.fromNode.id,
              targetPort: (out ? state.toHandle.id : state.fromHandle.id) ?? 'in',
            })
          : null;
        notify(
          store,
          'error',
          `Not connected: ${verdict && !verdict.ok ? verdict.reason : 'these ports do not fit.'}`,
        );
        return;
      }
      const onPane =
        event.target instanceof Element &&
        event.target.closest('.react-flow__node, .react-flow__panel, .react-flow__edge') === null;
      if (state.fromHandle.type === 'source' && state.fromHandle.id && onPane) {
        const point = 'changedTouches' in event ? event.changedTouches[0] : event;
        const at = point
          ? flow.screenToFlowPosition({ x: point.clientX, y: point.clientY })
          : undefined;
        request(state.fromHandle.nodeId, state.fromHandle.id, at && { x: at.x, y: at.y - 40 });
        return;
      }
      notify(
        store,
        'info',
        state.fromHandle.type === 'source'
          ? 'Not connected: drop the wire on an input port (the dots on the left of a card), or on empty canvas to add a node there.'
          : 'Not connected: drop the wire on an output port (the dots on the right of a card).',
      );
    },
    [flow, readOnly, request, store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(NODE_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!type || readOnly) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      let added: string | null = null;
      let error: string | undefined;
      editDocument(store, (d) => {
        const r = addNode(d, catalog, type, { x: p.x - CARD_GRIP.x, y: p.y - CARD_GRIP.y });
        if ('id' in r) added = r.id;
        else error = r.error;
        return r.doc;
      });
      if (error) notify(store, 'error', error);
      if (added) select(store, [added], []);
    },
    [flow, store, readOnly],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target of the palette's drag; keyboard users add nodes from the palette with Enter
    <div
      className="canvas"
      ref={container}
      style={CARD_STYLE}
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <CanvasActions value={actions}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          onMoveEnd={onMoveEnd}
          nodeTypes={nodeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          connectionLineType={ConnectionLineType.SmoothStep}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onDelete={onDelete}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          fitView={initialViewport === null}
          fitViewOptions={FIT_VIEW_OPTIONS}
          {...(initialViewport ? { defaultViewport: initialViewport } : {})}
          minZoom={0.05}
          onlyRenderVisibleElements
          proOptions={proOptions}
          aria-label="Flow canvas"
        >
          <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
          {minimap && (
            <MiniMap
              pannable
              zoomable
              ariaLabel="Minimap"
              nodeStrokeWidth={3}
              style={MINIMAP_SIZE}
            />
          )}
          <Panel position="top-right">
            <button
              type="button"
              className="canvas-toggle"
              aria-pressed={minimap}
              onClick={() => setMinimap((m) => !m)}
            >
              Minimap
            </button>
          </Panel>
          <Controls showInteractive={false} aria-label="Zoom controls" />
        </ReactFlow>
      </CanvasActions>
      {!readOnly && (
        <AddAfterDialog request={adding} onPick={pick} onClose={() => setAdding(null)} />
      )}
    </div>
  );
}
