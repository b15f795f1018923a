import type { FlowDocument } from '../sdk/flow-types';

/** A small valid flow for tests: webhook → branch → map (true) / nothing (false). */
export function sampleFlow(): FlowDocument {
  return {
    $schema: './flow.schema.json',
    schemaVersion: 1,
    id: 'sample',
    name: 'Sample',
    version: '1.0.0',
    settings: { businessKeys: { order: { var: 'orderNumber' } } },
    nodes: [
      {
        id: 't',
        type: 'trigger.webhook',
        name: 'Hook',
        position: { x: 0, y: 0 },
        config: { path: 'erp/order' },
      },
      {
        id: 'b',
        type: 'rule.branch',
        name: 'Heavy?',
        position: { x: 200, y: 0 },
        config: { condition: { '>': [{ var: 'weightKg' }, 30] } },
      },
      {
        id: 'm',
        type: 'mapping.map',
        name: 'Map',
        position: { x: 400, y: 0 },
        config: { fields: [{ target: 'ref', expression: { var: 'orderNumber' } }] },
      },
      {
        id: 'h',
        type: 'connector.http',
        name: 'Post',
        position: { x: 600, y: 0 },
        config: { connection: 'wms', method: 'POST', path: '/orders' },
      },
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'b', targetPort: 'in' },
      { id: 'e2', source: 'b', sourcePort: 'true', target: 'm', targetPort: 'in' },
      { id: 'e3', source: 'm', sourcePort: 'out', target: 'h', targetPort: 'in' },
    ],
  };
}
