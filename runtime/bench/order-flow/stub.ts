/**
 * The WMS and TMS of the order-flow bench, in a process of its own (forked with IPC) so that
 * its work does not share an event loop with the load generator. It answers
 * `POST /fulfillment-orders` (WMS) and `POST /shipments` (TMS), and records when each order's
 * shipment arrives: the end of that order's run, as the user sees it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { orderNumberOf } from './sales-order';

/**
 * What the bench asks the stub over IPC. `tms-delay` holds every TMS answer that long (a slow
 * downstream, for request-reply's 202 fallback); the stub answers `delay` once it is set.
 */
export type StubRequest = { cmd: 'stats' } | { cmd: 'arrivals' } | { cmd: 'tms-delay'; ms: number };

/** What the stub answers: counts so far, or the arrivals since the last `arrivals`. */
export type StubReply =
  | { kind: 'ready'; port: number }
  | { kind: 'stats'; wms: number; tms: number; repeats: number; orders: number }
  | { kind: 'arrivals'; arrivals: [string, number][] }
  | { kind: 'delay'; ms: number };

const clock = () => performance.timeOrigin + performance.now();
let wms = 0;
let tms = 0;
let repeats = 0;
const seen = new Set<string>();
let arrivals: [string, number][] = [];
let tmsDelayMs = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.statusCode = 400;
      res.end('{"error":"invalid-json"}');
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.url === '/fulfillment-orders') {
      wms += 1;
      const ref = String((body as { orderRef?: unknown }).orderRef ?? '');
      res.statusCode = 201;
      res.end(JSON.stringify({ id: `FO-${ref}`, status: 'ACCEPTED', wave: `W-${wms % 40}` }));
      return;
    }
    if (req.method === 'POST' && req.url === '/shipments') {
      const at = clock();
      tms += 1;
      const order = orderNumberOf(body) ?? '?';
      // Counted per order, not per key: a run that reached the TMS twice shows up here.
      if (seen.has(order)) repeats += 1;
      else {
        seen.add(order);
        arrivals.push([order, at]);
      }
      res.statusCode = 201;
      const answer = JSON.stringify({ id: `SH-${order}`, status: 'PLANNED' });
      if (tmsDelayMs > 0) setTimeout(() => res.end(answer), tmsDelayMs);
      else res.end(answer);
      return;
    }
    res.statusCode = 404;
    res.end('{"error":"not-found"}');
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (m: StubRequest) => {
  const send = (reply: StubReply) => process.send?.(reply);
  if (m.cmd === 'stats') send({ kind: 'stats', wms, tms, repeats, orders: seen.size });
  if (m.cmd === 'tms-delay') {
    tmsDelayMs = m.ms;
    send({ kind: 'delay', ms: m.ms });
  }
  if (m.cmd === 'arrivals') {
    send({ kind: 'arrivals', arrivals });
    arrivals = [];
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  process.send?.({ kind: 'ready', port: (server.address() as AddressInfo).port });
});
