import type { FlowDocument, FlowEdge, FlowNode, JsonObject } from '@crossdock/nodes';

/**
 * A valid flow of `size` nodes for benchmarks: a manual trigger fanning out into chains of
 * branch → map → HTTP nodes, laid out on a grid.
 */
export function generateFlow(size: number): FlowDocument {
  const nodes: FlowNode[] = [
    { id: 'n-0', type: 'trigger.manual', name: 'Start', position: { x: 0, y: 0 }, config: {} },
  ];
  const edges: FlowEdge[] = [];
  const kinds = ['rule.branch', 'mapping.map', 'connector.http'] as const;
  const columns = 40;
  for (let i = 1; i < size; i++) {
    const kind = kinds[(i - 1) % 3] as (typeof kinds)[number];
    const config: JsonObject =
      kind === 'rule.branch'
        ? { condition: { '>': [{ var: 'order.weight' }, i % 50] } }
        : kind === 'mapping.map'
          ? { fields: [{ target: 'ref', expression: { var: 'order.number' } }], keepSource: true }
          : { connection: 'wms', method: 'POST', path: `/api/items/${i}`, output: 'body' };
    nodes.push({
      id: `n-${i}`,
      type: kind,
      name: `${kind.split('.')[1]} ${i}`,
      position: { x: (i % columns) * 300, y: Math.floor(i / columns) * 160 },
      config,
    });
    const source = kind === 'rule.branch' ? 'n-0' : `n-${i - 1}`;
    const sourcePort = kind === 'mapping.map' ? 'true' : 'out';
    edges.push({ id: `e-${i}`, source, sourcePort, target: `n-${i}`, targetPort: 'in' });
  }
  return {
    schemaVersion: 1,
    id: `bench-${size}`,
    name: `Benchmark flow (${size} nodes)`,
    version: '1.0.0',
    settings: {},
    nodes,
    edges,
  };
}
