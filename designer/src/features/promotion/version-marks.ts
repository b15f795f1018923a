import type { FlowChange } from '@crossdock/nodes';

export type NodeMark = 'added' | 'changed';

/** Which nodes of the newer version a diff touches: added, or changed (config, name, type, settings). */
export function nodeMarks(changes: readonly FlowChange[]): Map<string, NodeMark> {
  const marks = new Map<string, NodeMark>();
  for (const c of changes) {
    if (c.kind === 'node-added') marks.set(c.nodeId, 'added');
    else if (
      (c.kind === 'config' ||
        c.kind === 'node-setting' ||
        c.kind === 'node-renamed' ||
        c.kind === 'node-type-changed') &&
      marks.get(c.nodeId) !== 'added'
    )
      marks.set(c.nodeId, 'changed');
  }
  return marks;
}

/** A style sheet outlining the marked nodes on a React Flow canvas (they carry `data-id`). */
export function markStyles(
  marks: ReadonlyMap<string, NodeMark>,
  escapeId: (id: string) => string,
): string {
  const color = { added: 'var(--mark-added)', changed: 'var(--mark-changed)' };
  return [...marks]
    .map(
      ([id, mark]) =>
        `.version-compare .react-flow__node[data-id="${escapeId(id)}"] { outline: 3px solid ${color[mark]}; outline-offset: 3px; border-radius: 8px; }`,
    )
    .join('\n');
}
