import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '@crossdock/nodes';

/** A local HTTP endpoint that counts calls per path and answers with a scripted handler. */
export interface TestServer {
  url: string;
  calls: Map<string, number>;
  keys: string[];
  bodies: string[];
  handler: (req: IncomingMessage, res: ServerResponse, body: string, count: number) => void;
  close(): Promise<void>;
}

/** Starts the endpoint on a free loopback port; it echoes JSON bodies until `handler` is replaced. */
export async function startTestServer(): Promise<TestServer> {
  const state: TestServer = {
    url: '',
    calls: new Map(),
    keys: [],
    bodies: [],
    handler: (_req, res, body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, echo: body ? (JSON.parse(body) as JsonValue) : null }));
    },
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const p = req.url ?? '/';
      const count = (state.calls.get(p) ?? 0) + 1;
      state.calls.set(p, count);
      state.keys.push(String(req.headers['idempotency-key'] ?? ''));
      state.bodies.push(`${JSON.stringify(req.headers)} ${body}`);
      state.handler(req, res, body, count);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
