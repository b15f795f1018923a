import { catalog, type NodeManifest } from '@crossdock/nodes';
import { createContext, useMemo, useState } from 'react';
import { Dialog } from '../../components/dialog';
import { categoryGlyph } from './category-glyph';

/** Where a new node goes: after this output port, at this flow position. */
export interface AddAfterRequest {
  nodeId: string;
  nodeName: string;
  port: string;
  portLabel: string;
  position: { x: number; y: number };
}

/**
 * What a node card may ask of the canvas it sits on. A context rather than `node.data`, so the
 * card data stays plain JSON; null on a read-only canvas.
 */
export const CanvasActions = createContext<{
  addAfter: (nodeId: string, port: string) => void;
} | null>(null);

/** Node types a wire can lead into: every type with an input. */
function targets(query: string): NodeManifest[] {
  const q = query.trim().toLowerCase();
  return catalog
    .list()
    .filter((m) => m.inputs.length > 0)
    .filter(
      (m) => q === '' || [m.title, m.type, m.description].some((t) => t.toLowerCase().includes(q)),
    );
}

/** The node picker behind a port's "+" (and a wire dropped on empty canvas). */
export function AddAfterDialog(props: {
  request: AddAfterRequest | null;
  onPick: (type: string) => void;
  onClose: () => void;
}) {
  const { request, onPick, onClose } = props;
  const [query, setQuery] = useState('');
  const list = useMemo(() => targets(query), [query]);
  const close = () => {
    setQuery('');
    onClose();
  };
  return (
    <Dialog
      title={request ? `Add a node after ${request.nodeName} · ${request.portLabel}` : 'Add a node'}
      open={request !== null}
      onClose={close}
    >
      <input
        className="form-control"
        type="search"
        aria-label="Search node types"
        placeholder="Search node types…"
        autoFocus
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const first = list[0];
          if (e.key === 'Enter' && first) {
            setQuery('');
            onPick(first.type);
          }
        }}
      />
      <ul className="add-after__list" aria-label="Node types">
        {list.map((m) => (
          <li key={m.type}>
            <button
              type="button"
              className="add-after__item"
              onClick={() => {
                setQuery('');
                onPick(m.type);
              }}
            >
              <span className={`node-card__glyph glyph--${m.category}`} aria-hidden="true">
                {categoryGlyph(m.category)}
              </span>
              <span>
                <strong>{m.title}</strong>
                <span className="muted small"> {m.description}</span>
              </span>
            </button>
          </li>
        ))}
        {list.length === 0 && <li className="muted">No node type matches “{query}”.</li>}
      </ul>
    </Dialog>
  );
}
