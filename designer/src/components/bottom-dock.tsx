import { type KeyboardEvent, type PointerEvent, type ReactNode, useRef, useState } from 'react';

export interface BottomDockProps {
  /** The tab bar (or any header); the collapse toggle is added at its end. */
  header: ReactNode;
  children: ReactNode;
  collapsed: boolean;
  onCollapsedChange: (collapsed: boolean) => void;
  label: string;
  initialHeight?: number;
  minHeight?: number;
  /** The room left above the dock, so the content over it is never squeezed out. */
  keepAbove?: number;
}

const STEP = 24;

/**
 * A panel docked under the main area, resized by dragging (or arrow keys on) its top edge and
 * collapsed to its header, so the area above keeps its room on a small screen.
 */
export function BottomDock(props: BottomDockProps) {
  const { header, children, collapsed, onCollapsedChange, label } = props;
  const min = props.minHeight ?? 96;
  const keepAbove = props.keepAbove ?? 200;
  const [height, setHeight] = useState(props.initialHeight ?? 200);
  const ref = useRef<HTMLDivElement>(null);
  const clamp = (h: number) => {
    const room = (ref.current?.parentElement?.clientHeight ?? 800) - keepAbove;
    return Math.round(Math.max(min, Math.min(h, Math.max(min, room))));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startY = e.clientY;
    const start = height;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => setHeight(clamp(start + startY - ev.clientY));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    if (collapsed) onCollapsedChange(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowUp') setHeight((h) => clamp(h + STEP));
    else if (e.key === 'ArrowDown') setHeight((h) => clamp(h - STEP));
    else return;
    e.preventDefault();
    if (collapsed) onCollapsedChange(false);
  };
  return (
    <div
      ref={ref}
      className={`bottom-panel${collapsed ? ' bottom-panel--collapsed' : ''}`}
      style={collapsed ? undefined : { height }}
    >
      {/* biome-ignore lint/a11y/useSemanticElements: a draggable splitter has no native element */}
      <div
        className="bottom-panel__resize"
        role="separator"
        aria-orientation="horizontal"
        aria-label={`Resize ${label}`}
        aria-valuenow={collapsed ? 0 : height}
        aria-valuemin={min}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
      />
      <div className="bottom-panel__header">
        {header}
        <button
          type="button"
          className="bottom-panel__toggle"
          aria-expanded={!collapsed}
          aria-label={collapsed ? `Expand ${label}` : `Collapse ${label}`}
          title={collapsed ? 'Expand' : 'Collapse'}
          onClick={() => onCollapsedChange(!collapsed)}
        >
          {collapsed ? '▴' : '▾'}
        </button>
      </div>
      {!collapsed && <div className="bottom-panel__body">{children}</div>}
    </div>
  );
}
