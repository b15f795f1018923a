import { catalog, NODE_CATEGORIES, type NodeManifest } from '@crossdock/nodes';
import { type DragEvent, useMemo, useState } from 'react';
import { categoryGlyph } from '../canvas/category-glyph';
import { NODE_DRAG_TYPE } from '../canvas/flow-canvas';
import './palette.css';

const CATEGORY_LABEL: Record<string, string> = {
  trigger: 'Triggers',
  connector: 'Connectors',
  mapping: 'Mapping',
  rule: 'Rules',
  exception: 'Exceptions',
  flow: 'Flow control',
};

function matches(m: NodeManifest, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return [m.title, m.type, m.description, m.category].some((t) => t.toLowerCase().includes(q));
}

export interface PaletteProps {
  /** Adds a node of `type` without a drag (keyboard: Enter on an item). */
  onAdd: (type: string) => void;
  disabled?: boolean;
}

/** Node types by category, searchable; drag an item onto the canvas or press Enter to add it. */
export function Palette({ onAdd, disabled }: PaletteProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      NODE_CATEGORIES.map((category) => ({
        category,
        items: catalog.list().filter((m) => m.category === category && matches(m, query)),
      })).filter((g) => g.items.length > 0),
    [query],
  );
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(NODE_DRAG_TYPE, type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="palette" aria-label="Node palette">
      <div className="palette__search">
        <input
          type="search"
          placeholder="Search nodes…"
          aria-label="Search nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="palette__groups">
        {groups.length === 0 && <p className="muted palette__empty">No node matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.category} aria-label={CATEGORY_LABEL[g.category] ?? g.category}>
            <h3 className="palette__heading">{CATEGORY_LABEL[g.category] ?? g.category}</h3>
            <ul className="palette__list">
              {g.items.map((m) => (
                <li key={m.type}>
                  <button
                    type="button"
                    className={`palette-item palette-item--${m.category}`}
                    draggable={!disabled}
                    disabled={disabled}
                    onDragStart={(e) => onDragStart(e, m.type)}
                    onClick={() => onAdd(m.type)}
                    aria-label={`Add ${m.title}`}
                    title={m.description}
                  >
                    <span className={`palette-item__dot glyph--${m.category}`} aria-hidden="true">
                      {categoryGlyph(m.category)}
                    </span>
                    <span className="palette-item__text">
                      <span className="palette-item__title">{m.title}</span>
                      <span className="palette-item__desc">{m.description}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}
