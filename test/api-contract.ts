import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { checkBody, checkResponse, ErrorBody } from '@crossdock/nodes/api';
import { afterAll, expect } from 'vitest';

/**
 * The API tests' server: every JSON answer of the API is checked against its schema in the
 * contract (`@crossdock/nodes/api`), found by method, path and status. An answer that does not
 * match becomes a 500 naming each wrong field, so the test that made the call fails where it
 * made it; and every file that serves through here fails at the end if any answer did not match.
 */

/** Answers that did not match, in this test file. */
const violations: string[] = [];

afterAll(() => {
  expect(violations, 'answers of the API that do not match its contract').toEqual([]);
});

const CHECKED = /^\/(api\/|hooks\/|healthz$|readyz$)/;

function problemsOf(method: string, url: URL, res: ServerResponse, text: string): string[] {
  if (!CHECKED.test(url.pathname)) return [];
  // A webhook's request-reply answer is the flow's own (`flow.respond`), not the API's.
  if (res.hasHeader('x-crossdock-run-id')) return [];
  const type = String(res.getHeader('content-type') ?? '');
  let body: unknown;
  if (text !== '') {
    if (!/json/.test(type)) return [`answered ${res.statusCode} with ${type || 'no content type'}`];
    try {
      body = JSON.parse(text);
    } catch {
      return [`answered ${res.statusCode} with invalid JSON`];
    }
  }
  const problems = checkResponse(method, url.pathname, res.statusCode, body);
  // An unknown `/api` path is refused by the API's own 404, in the error shape.
  if (problems.some((p) => p.endsWith('no such route in the contract')) && res.statusCode >= 400) {
    return checkBody(ErrorBody, body);
  }
  return problems;
}

/** `handler` with each answer checked against the contract before it leaves. */
export function contractChecked(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Read now: Express rewrites `req.url` as it enters a mounted router.
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    let streamed = false;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as { write: unknown }).write = (...args: unknown[]) => {
      streamed = true;
      return write(...args);
    };
    (res as { end: unknown }).end = (...args: unknown[]) => {
      const [chunk] = args;
      if (streamed || res.headersSent || typeof chunk === 'function') return end(...args);
      const text =
        typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      const problems = problemsOf(method, url, res, text);
      if (problems.length === 0) return end(...args);
      const what = `${method} ${url.pathname}${url.search} answered ${res.statusCode}`;
      violations.push(`${what}: ${problems.join('; ')}`);
      const refusal = JSON.stringify({
        error: {
          code: 'contract-violation',
          message: `${what} with a body that does not match the API contract`,
          details: { problems },
        },
      });
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(refusal));
      return end(refusal);
    };
    handler(req, res);
  };
}

/** `createApp(...)` served on a free loopback port, every answer checked (see above). */
export function serveChecked(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
): Server {
  return createServer(contractChecked(handler)).listen(port, '127.0.0.1');
}
