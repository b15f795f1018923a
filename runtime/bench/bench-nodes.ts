import {
  type Catalog,
  catalog,
  createCatalog,
  defineNode,
  type FlowDocument,
  type FlowNode,
  isHttpConnection,
  type JsonValue,
  manifests,
  type NodeExecutor,
  TransientError,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';

/**
 * Until `connector.http` has an executor on main, the bench uses this stand-in with the same
 * config shape (connection, method, path): one fetch per step with the idempotency key.
 */
const benchHttp = defineNode({
  type: 'bench.http',
  version: 1,
  category: 'connector',
  title: 'Bench HTTP',
  description: 'Bench-only HTTP call.',
  inputs: [{ id: 'in', label: 'in' }],
  outputs: [{ id: 'out', label: 'out' }],
  configSchema: { type: 'object' },
  defaults: {},
  sideEffects: true,
  connection: {},
  docs: 'bench only',
});

const executeBenchHttp: NodeExecutor = async (input, ctx) => {
  const base = ctx.connection && isHttpConnection(ctx.connection) ? ctx.connection.baseUrl : '';
  const response = await ctx.fetch(`${base}${String(ctx.config.path)}`, {
    method: String(ctx.config.method ?? 'POST'),
    headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
    body: JSON.stringify(input.payload),
    signal: ctx.signal,
  });
  if (response.status >= 500)
    throw new TransientError('upstream-unavailable', `HTTP ${response.status}`);
  return { emissions: [{ port: 'out', payload: (await response.json()) as JsonValue }] };
};

export const HTTP_TYPE = executors['connector.http'] ? 'connector.http' : 'bench.http';

export function benchNodes(): {
  catalog: Catalog;
  executors: Readonly<Record<string, NodeExecutor>>;
} {
  if (HTTP_TYPE === 'connector.http') return { catalog, executors };
  return {
    catalog: createCatalog([...manifests, benchHttp]),
    executors: { ...executors, 'bench.http': executeBenchHttp },
  };
}

const at = (x: number) => ({ x, y: 0 });

/** The 6-node flow of the issue: trigger, mapping, rule, HTTP, mapping, HTTP. */
export function benchFlow(withHttp = true): FlowDocument {
  const http = (id: string, name: string, connection: string, path: string): FlowNode =>
    withHttp
      ? {
          id,
          type: HTTP_TYPE,
          name,
          position: at(0),
          config: { connection, method: 'POST', path, output: 'body' },
        }
      : {
          id,
          type: 'mapping.map',
          name,
          position: at(0),
          config: { fields: [{ target: 'id', expression: 'FO-1' }] },
        };
  return {
    schemaVersion: 1,
    id: 'bench-order',
    name: 'Bench order',
    version: '1.0.0',
    settings: { businessKeys: { order: { var: 'order.number' } } },
    nodes: [
      { id: 't', type: 'trigger.manual', name: 'Trigger', position: at(0), config: {} },
      {
        id: 'm1',
        type: 'mapping.map',
        name: 'To fulfillment',
        position: at(200),
        config: {
          fields: [
            { target: 'orderRef', expression: { var: 'order.number' } },
            { target: 'qty', expression: { var: 'order.qty' } },
            { target: 'warehouse', expression: { upper: { var: 'order.site' } } },
          ],
        },
      },
      {
        id: 'r',
        type: 'rule.branch',
        name: 'Has quantity?',
        position: at(400),
        config: { condition: { '>': [{ var: 'qty' }, 0] } },
      },
      http('h1', 'Create in WMS', 'wms', '/fulfillment-orders'),
      {
        id: 'm2',
        type: 'mapping.map',
        name: 'Ack',
        position: at(800),
        config: {
          fields: [
            { target: 'ref', expression: { var: 'id' } },
            { target: 'status', expression: 'SENT' },
          ],
        },
      },
      http('h2', 'Confirm in ERP', 'erp', '/confirmations'),
    ],
    edges: [
      { id: 'e1', source: 't', sourcePort: 'out', target: 'm1', targetPort: 'in' },
      { id: 'e2', source: 'm1', sourcePort: 'out', target: 'r', targetPort: 'in' },
      { id: 'e3', source: 'r', sourcePort: 'true', target: 'h1', targetPort: 'in' },
      { id: 'e4', source: 'h1', sourcePort: 'out', target: 'm2', targetPort: 'in' },
      { id: 'e5', source: 'm2', sourcePort: 'out', target: 'h2', targetPort: 'in' },
    ],
  };
}
