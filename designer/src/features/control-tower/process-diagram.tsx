import type { ProcessDocument } from '@crossdock/nodes';
import { memo } from 'react';

/** What is selected in the editor: a milestone box or an expectation arrow. */
export type ProcessSelection =
  | { kind: 'milestone'; index: number }
  | { kind: 'expectation'; index: number }
  | { kind: 'check'; index: number }
  | null;

const BOX_W = 132;
const BOX_H = 48;
const GAP = 44;
const PAD = 16;
const LEVEL = 26;

function boxX(i: number): number {
  return PAD + i * (BOX_W + GAP);
}

/**
 * The process drawn: milestones as boxes in process order, each expectation an arrow from its
 * "after" to its "expect" milestone labelled with the duration, owner and severity. An arrow
 * that points back against the process order is drawn below the boxes: the order is probably
 * wrong (the stage is the furthest milestone in that order).
 */
export const ProcessDiagram = memo(function ProcessDiagram(props: {
  process: ProcessDocument;
  selection: ProcessSelection;
  onSelect: (s: ProcessSelection) => void;
  /** Milestone and expectation indexes with a problem (drawn in the danger colour). */
  invalid: { milestones: Set<number>; expectations: Set<number> };
}) {
  const { process, selection } = props;
  const index = new Map(process.milestones.map((m, i) => [m.id, i]));
  const arrows = process.expectations
    .map((x, i) => ({ x, i, from: index.get(x.after), to: index.get(x.expect), nth: 0 }))
    .filter(
      (a): a is typeof a & { from: number; to: number } =>
        a.from !== undefined && a.to !== undefined && a.from !== a.to,
    );
  // Each arrow takes the lowest level where neither its arc nor its label meets another's.
  const taken: { forward: boolean; nth: number; lo: number; hi: number }[] = [];
  const label = (a: (typeof arrows)[number]) =>
    `${a.x.within} · ${a.x.owner || '?'} · ${a.x.severity}`;
  for (const a of [...arrows].sort((p, q) => Math.abs(p.to - p.from) - Math.abs(q.to - q.from))) {
    const forward = a.to > a.from;
    const mid = (boxX(a.from) + boxX(a.to)) / 2 + BOX_W / 2;
    const half = Math.max((Math.abs(a.to - a.from) * (BOX_W + GAP)) / 2, label(a).length * 3.4);
    const lo = mid - half - 6;
    const hi = mid + half + 6;
    let nth = 0;
    while (taken.some((t) => t.forward === forward && t.nth === nth && t.lo < hi && lo < t.hi))
      nth++;
    taken.push({ forward, nth, lo, hi });
    a.nth = nth;
  }
  const drawn = arrows;
  const height = (a: { from: number; to: number; nth: number }) =>
    LEVEL + Math.abs(a.to - a.from) * 10 + a.nth * LEVEL;
  const up = Math.max(0, ...drawn.filter((a) => a.to > a.from).map(height)) + 24;
  const down = Math.max(0, ...drawn.filter((a) => a.to < a.from).map(height)) + 24;
  const width = PAD * 2 + Math.max(1, process.milestones.length) * (BOX_W + GAP) - GAP;
  const top = up;
  return (
    <svg
      className="process-diagram"
      width={width}
      height={top + BOX_H + down}
      role="img"
      aria-label={`${process.name}: ${process.milestones.length} milestones, ${process.expectations.length} expectations`}
    >
      <defs>
        <marker
          id="process-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="process-diagram__head" />
        </marker>
      </defs>
      {drawn.map((a) => {
        const forward = a.to > a.from;
        const x1 = boxX(a.from) + BOX_W / 2 + (forward ? 12 : -12);
        const x2 = boxX(a.to) + BOX_W / 2 + (forward ? -12 : 12);
        const y = forward ? top : top + BOX_H;
        const h = height(a) * (forward ? -1 : 1);
        const mid = (x1 + x2) / 2;
        const selected = selection?.kind === 'expectation' && selection.index === a.i;
        const bad = props.invalid.expectations.has(a.i) || !forward;
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one
          <g
            key={`x-${a.i}`}
            className={`process-arrow process-arrow--${a.x.severity}${selected ? ' is-selected' : ''}${bad ? ' is-invalid' : ''}`}
            data-testid={`expectation-arrow-${a.x.id}`}
            role="button"
            tabIndex={0}
            aria-label={`Expectation ${a.x.name}`}
            onClick={() => props.onSelect({ kind: 'expectation', index: a.i })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') props.onSelect({ kind: 'expectation', index: a.i });
            }}
          >
            <title>{`${a.x.name}: ${a.x.after} → ${a.x.expect} within ${a.x.within}`}</title>
            <path
              d={`M${x1},${y} C${x1},${y + h} ${x2},${y + h} ${x2},${y}`}
              markerEnd="url(#process-arrow)"
            />
            <text x={mid} y={y + h * 0.75 + (forward ? -4 : 12)} textAnchor="middle">
              {label(a)}
            </text>
          </g>
        );
      })}
      {process.milestones.map((m, i) => {
        const selected = selection?.kind === 'milestone' && selection.index === i;
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one
          <g
            // biome-ignore lint/suspicious/noArrayIndexKey: ids are being edited and may repeat for a while
            key={`m-${m.id}-${i}`}
            role="button"
            tabIndex={0}
            aria-label={`Milestone ${m.name}`}
            onKeyDown={(e) => {
              if (e.key === 'Enter') props.onSelect({ kind: 'milestone', index: i });
            }}
            className={`process-box${selected ? ' is-selected' : ''}${props.invalid.milestones.has(i) ? ' is-invalid' : ''}`}
            transform={`translate(${boxX(i)},${top})`}
            data-testid={`milestone-box-${m.id}`}
            onClick={() => props.onSelect({ kind: 'milestone', index: i })}
          >
            <rect width={BOX_W} height={BOX_H} rx={6} />
            <text x={8} y={18} className="process-box__system">
              {i + 1}. {m.system ?? ''}
            </text>
            <text x={8} y={36} className="process-box__name">
              {m.name.length > 18 ? `${m.name.slice(0, 17)}…` : m.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
