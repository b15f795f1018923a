import { catalog } from '@crossdock/nodes';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { type EditorStore, editDocument, notify, select } from '../../store/editor-store';
import { CARD_SIZE } from '../canvas/card-size';
import { FIT_VIEW_OPTIONS } from '../canvas/flow-canvas';
import { addNode } from '../canvas/flow-edit';
import { autoLayout, type Box, flowBounds, frameFlow } from '../canvas/layout';
import { useShortcuts } from '../canvas/use-shortcuts';

/** New nodes added from the palette fan out by this much each, so they never hide each other. */
const CASCADE = 16;

export interface CanvasActions {
  /** Adds a node of `type` in the middle of the visible canvas and selects it. */
  addAtCenter(type: string): void;
  /** Lays the flow out left to right and frames it. */
  layout(): void;
  /** Zooms to fit the whole flow. */
  fit(): void;
}

/**
 * The editor's canvas commands (palette, toolbar and shortcuts). The visible pane's size comes
 * from React Flow's own store, never from the DOM.
 */
export function useCanvasActions(store: EditorStore): CanvasActions {
  const flow = useReactFlow();
  const pane = useStoreApi();

  const addAtCenter = useCallback(
    (type: string) => {
      const { width, height } = pane.getState();
      const vp = flow.getViewport();
      const p = { x: (width / 2 - vp.x) / vp.zoom, y: (height / 2 - vp.y) / vp.zoom };
      let error: string | undefined;
      let id: string | undefined;
      editDocument(store, (d) => {
        const r = addNode(d, catalog, type, {
          x: p.x - CARD_SIZE.width / 2 + d.nodes.length * CASCADE,
          y: p.y - CARD_SIZE.height / 2 + d.nodes.length * CASCADE,
        });
        if ('id' in r) id = r.id;
        else error = r.error;
        return r.doc;
      });
      if (error) notify(store, 'error', error);
      if (id) select(store, [id], []);
    },
    [flow, pane, store],
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
    const { width, height } = pane.getState();
    if (bounds && width > 0 && height > 0) {
      void flow.setViewport(frameFlow(bounds, { width, height }), { duration: 200 });
    }
  }, [flow, pane, store]);

  const fit = useCallback(() => void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: 200 }), [flow]);
  const shortcuts = useMemo(() => ({ layout, fit }), [layout, fit]);
  useShortcuts(store, shortcuts);
  return useMemo(() => ({ addAtCenter, layout, fit }), [addAtCenter, layout, fit]);
}
