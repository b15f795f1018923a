import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the test server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type TestHandler = (
  request: RecordedRequest,
  response: ServerResponse,
) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  /** Routes by `METHOD /path` (without query); unmatched requests get 404. */
  route(key: string, handler: TestHandler): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 and a port the OS picks, for connector tests. Records every
 * request; each test registers the routes it needs, and `fallback` answers the rest (404 when
 * absent).
 */
export async function startTestServer(fallback?: TestHandler): Promise<TestServer> {
  const routes = new Map<string, TestHandler>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0];
      const handler = routes.get(`${recorded.method} ${path}`) ?? fallback;
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no route');
        return;
      }
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    route: (key, handler) => {
      routes.set(key, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body));
}

/** Answers with what it received: `{method, url, body}` (body parsed when it is JSON). */
export const echo: TestHandler = (req, res) => {
  let body: unknown = req.body === '' ? null : req.body;
  try {
    body = req.body === '' ? null : JSON.parse(req.body);
  } catch {
    // A body that is not JSON is echoed as text.
  }
  json(res, 200, { method: req.method, url: req.url, body });
};
