import { createHmac } from 'node:crypto';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp, type Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlainDelivery } from '../../runtime/src/api/hook-fast-path';
import { serveChecked } from '../api-contract';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  memoryLog,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
} from './helpers';

/**
 * The server takes plain `POST /hooks/<path>` deliveries past express (`hook-fast-path.ts`);
 * express still answers the rest, `/HOOKS/<path>` included (its routes ignore case). So each
 * case is sent both ways and the two answers and request-log lines must be the same: status,
 * every header in order (values that differ per request aside), body.
 */
const prefix = uniquePrefix('hookfast');
const log = memoryLog();
let stub: TestServer;
let flows: { dir: string; remove(): void };

/**
 * Two servers: one logs every request (the fast path hands express's objects to the request log
 * at once), one logs nothing (they stay plain `node:http` objects until an answer needs them).
 */
interface Served {
  runtime: Runtime;
  http: Server;
  port: number;
  logged: boolean;
}
const servers: Served[] = [];

beforeAll(async () => {
  stub = await startTestServer();
  flows = flowsDirFor(stub.url, { secrets: ['HOOK_SECRET'] });
  for (const logged of [true, false]) {
    const runtime = testRuntime({
      prefix: `${prefix}${logged ? 'l' : 'q'}`,
      flowsDir: flows.dir,
      env: {
        CROSSDOCK_BODY_LIMIT: '2kb',
        CROSSDOCK_MAX_JSON_DEPTH: '5',
        HOOK_SECRET: 'hook-signing-secret',
      },
      ...(logged ? { logStream: log.stream } : {}),
    });
    runtime.startWorker(2);
    const now = new Date();
    const map = node('map', 'mapping.map', { fields: [] });
    for (const doc of [
      flowDoc(
        'orders',
        [node('hook', 'trigger.webhook', { path: 'p/orders' }), map],
        [edge('hook', 'map')],
        { idempotencyKey: { var: 'order' } },
      ),
      flowDoc(
        'signed',
        [
          node('hook', 'trigger.webhook', { path: 'p/signed', signatureSecret: 'HOOK_SECRET' }),
          map,
        ],
        [edge('hook', 'map')],
      ),
      flowDoc(
        'reply',
        [
          node('hook', 'trigger.webhook', { path: 'p/reply', replyTimeoutMs: 10_000 }),
          node('respond', 'flow.respond', {
            status: 201,
            headers: { 'x-order': { var: 'order' } },
            body: { var: 'order' },
          }),
        ],
        [edge('hook', 'respond')],
      ),
    ]) {
      expect((await runtime.flows.deploy(doc, 'test', now)).status).toBe('created');
    }
    const http = serveChecked(
      createApp(runtime, { designerDist: path.join(flows.dir, 'no-dist') }),
    );
    await new Promise((r) => http.once('listening', r));
    servers.push({ runtime, http, port: (http.address() as AddressInfo).port, logged });
  }
});

afterAll(async () => {
  for (const { http, runtime } of servers) {
    await new Promise((r) => http.close(r));
    await runtime.close();
  }
  await stub.close();
  flows.remove();
  await cleanRedis(`${prefix}l`);
  await cleanRedis(`${prefix}q`);
});

interface Answer {
  status: number;
  headers: string[];
  body: string;
  log: string;
}

/** Values that differ from one request to the next, whichever way it was answered. */
function steady(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/W\/"[^"]+"/g, '<etag>');
}

async function sendTo(
  { port, logged }: Served,
  url: string,
  headers: Record<string, string | number>,
  body: string | string[] = '',
): Promise<Answer> {
  const before = log.lines.length;
  const answer = await new Promise<Omit<Answer, 'log'>>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: url, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        const names: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (res.rawHeaders[i] === 'Date') continue;
          names.push(steady(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`));
        }
        resolve({ status: res.statusCode ?? 0, headers: names, body: steady(text) });
      });
    });
    req.on('error', reject);
    for (const part of Array.isArray(body) ? body : [body]) req.write(part);
    req.end();
  });
  if (!logged) return { ...answer, log: '' };
  // The log line is written when the answer has gone.
  for (let i = 0; i < 50 && !log.lines.slice(before).some((l) => l.includes('http request')); i++)
    await new Promise((r) => setTimeout(r, 10));
  const line = log.lines.slice(before).find((l) => l.includes('"http request"')) ?? '';
  const {
    method,
    path: loggedPath,
    status,
    correlationId,
  } = JSON.parse(line || '{}') as Record<string, unknown>;
  return {
    ...answer,
    log: steady(
      JSON.stringify({ method, path: String(loggedPath).toLowerCase(), status, correlationId }),
    ),
  };
}

/** A delivery to both servers; the answer of the logging one. */
async function send(
  url: string,
  headers: Record<string, string | number>,
  body: string | string[] = '',
): Promise<Answer> {
  const answers = [];
  for (const server of servers) answers.push(await sendTo(server, url, headers, body));
  return answers[0] as Answer;
}

/**
 * The same delivery through the fast path and through express, on both servers: the answers
 * must be equal (and the log lines, where there are any).
 */
async function bothWays(
  suffix: string,
  headers: Record<string, string | number>,
  body: (way: string) => string | string[],
): Promise<Answer> {
  const answers: Answer[] = [];
  for (const server of servers) {
    const fast = await sendTo(server, `/hooks/${suffix}`, headers, body('fast'));
    const routed = await sendTo(server, `/HOOKS/${suffix}`, headers, body('express'));
    expect(fast, server.logged ? 'logged' : 'quiet').toEqual(routed);
    answers.push(fast);
  }
  const [logged, quiet] = answers as [Answer, Answer];
  expect(quiet).toEqual({ ...logged, log: '' });
  return logged;
}

const json = { 'content-type': 'application/json' };

describe('the webhook fast path', () => {
  it('takes plain POST /hooks/<path> deliveries and leaves every other request to express', () => {
    const req = (method: string, url: string, headers: Record<string, string> = {}) => ({
      method,
      url,
      headers,
    });
    expect(isPlainDelivery(req('POST', '/hooks/p/orders'))).toBe(true);
    expect(isPlainDelivery(req('POST', '/hooks/p/orders?x=1&y'))).toBe(true);
    expect(isPlainDelivery(req('POST', '/hooks/a_b-c.d~e:f@g'))).toBe(true);
    expect(isPlainDelivery(req('POST', '/hooks/p', { 'content-encoding': 'Identity' }))).toBe(true);
    for (const [method, url] of [
      ['GET', '/hooks/p/orders'],
      ['HEAD', '/hooks/p/orders'],
      ['PUT', '/hooks/p/orders'],
      ['OPTIONS', '/hooks/p/orders'],
      ['POST', '/hooks'],
      ['POST', '/hooks/'],
      ['POST', '/hooks//p'],
      ['POST', '/HOOKS/p/orders'],
      ['POST', '/hooksx/p'],
      ['POST', '/hooks/p%2Forders'],
      ['POST', '/hooks/p/orders?x#y'],
      ['POST', '/api/flows'],
    ] as const) {
      expect(isPlainDelivery(req(method, url)), `${method} ${url}`).toBe(false);
    }
    expect(isPlainDelivery(req('POST', '/hooks/p', { 'content-encoding': 'gzip' }))).toBe(false);
  });

  it('answers accepted, duplicate and refused deliveries as the express route does', async () => {
    const order = (o: string) => JSON.stringify({ order: o });
    const accepted = await bothWays('p/orders', json, (way) => order(`A-${way}`));
    expect(accepted.status).toBe(202);
    expect(accepted.headers).toContain('X-Frame-Options: DENY');
    expect(accepted.log).toContain('"path":"/hooks/p/orders"');
    await send('/hooks/p/orders', json, order('D-1'));
    expect((await bothWays('p/orders', json, () => order('D-1'))).status).toBe(200);
    const corr = { ...json, 'x-correlation-id': 'partner.42' };
    expect((await bothWays('p/orders', corr, (way) => order(`C-${way}`))).log).toContain(
      '"correlationId":"partner.42"',
    );
    const queried = await bothWays('p/orders?token=abc', json, (way) => order(`Q-${way}`));
    expect(queried.status).toBe(202);
    // The log names the whole path, never the query (a token may be in it).
    expect(queried.log).toContain('"path":"/hooks/p/orders"');
    expect((await bothWays('p/orders', {}, (way) => order(`T-${way}`))).status).toBe(202);
    expect((await bothWays('p/orders', { ...json, 'content-length': 0 }, () => '')).status).toBe(
      202,
    );
    const missing = await bothWays('nobody/here', json, () => '{}');
    expect(missing.status).toBe(404);
    expect(missing.log).toContain('"path":"/hooks/nobody/here"');
    expect((await bothWays('p/orders/', json, () => '{}')).status).toBe(404);
    expect((await bothWays('p/orders', json, () => '{"broken')).status).toBe(400);
    const deep = JSON.stringify({ a: { b: { c: { d: { e: { f: 1 } } } } } });
    expect((await bothWays('p/orders', json, () => deep)).body).toContain('too-deep');
  });

  it('refuses bodies over the limit with the same 413, declared or streamed', async () => {
    const big = JSON.stringify({ order: 'x'.repeat(3000) });
    const declared = await bothWays('p/orders', json, () => big);
    expect(declared.status).toBe(413);
    expect(declared.body).toContain('payload-too-large');
    // The answer says what the limit is and which setting raises it.
    expect(declared.body).toMatch(/limit of \d+ bytes \(CROSSDOCK_BODY_LIMIT\)/);
    const streamed = await bothWays('p/orders', json, () => ['{"order":"', 'y'.repeat(3000), '"}']);
    expect(streamed).toEqual(declared);
    expect((await bothWays('nobody/here', json, () => big)).status).toBe(413);
  });

  it('checks signatures and refuses a replay as the express route does', async () => {
    expect((await bothWays('p/signed', json, () => '{"s":1}')).status).toBe(401);
    const signed = (raw: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = createHmac('sha256', 'hook-signing-secret').update(`${ts}.${raw}`).digest('hex');
      return { ...json, 'x-crossdock-timestamp': ts, 'x-crossdock-signature': sig };
    };
    const raw = '{"s":2}';
    const headers = signed(raw);
    expect((await send('/hooks/p/signed', headers, raw)).status).toBe(202);
    expect((await bothWays('p/signed', headers, () => raw)).status).toBe(409);
  });

  it("answers a request-reply delivery with the flow's answer", async () => {
    const answer = await bothWays('p/reply', json, () => JSON.stringify({ order: 'R-1' }));
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('"R-1"');
    expect(answer.headers).toContain('x-order: R-1');
  });
});
