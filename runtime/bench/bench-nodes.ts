import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  type Catalog,
  catalog,
  type FlowDocument,
  type FlowNode,
  type NodeExecutor,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';

/** The HTTP connector the bench flow calls (the library's own, idempotency key and all). */
export const HTTP_TYPE = 'connector.http';

/** The catalog and executors the bench workers run. */
export function benchNodes(): {
  catalog: Catalog;
  executors: Readonly<Record<string, NodeExecutor>>;
} {
  return { catalog, executors };
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

/**
 * The bench's downstream (answers every call with a small JSON body) and a flows folder whose
 * `dev` environment binds the bench flow's `wms` and `erp` connections to it.
 */
export async function benchDownstream(): Promise<{
  server: Server;
  url: string;
  flowsDir: string;
}> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"id":"FO-1","ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const flowsDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-bench-'));
  mkdirSync(path.join(flowsDir, 'environments'));
  writeFileSync(
    path.join(flowsDir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: {
        wms: { system: 'wms', baseUrl: url, allowPrivateNetwork: true },
        erp: { system: 'erp', baseUrl: url, allowPrivateNetwork: true },
      },
    }),
  );
  return { server, url, flowsDir };
}
