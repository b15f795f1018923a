import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../sandbox';
import { type Harness, startHarness, testSecrets } from '../testing/harness';
import { startReceiver } from '../testing/receiver';
import type { Fault } from './faults';
import type { ReceivedRequest } from './received';
import type { Delivery } from './webhooks';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});
beforeEach(() => {
  h.sandbox.reset();
  h.receiver.events.length = 0;
  h.receiver.answer = () => ({ status: 202 });
});

const order = {
  orderRef: 'R-1',
  warehouse: 'DC-EAST',
  shipTo: { name: 'N', street: 'S', city: 'C', postalCode: '1', country: 'DE' },
  lines: [{ sku: 'A', qty: 1, uom: 'EA' }],
};

async function arm(
  system: 'erp' | 'wms' | 'tms' | 'carrier',
  fault: Record<string, unknown>,
): Promise<Fault> {
  const armed = await h.call(system, 'POST', '/_control/faults', fault);
  expect(armed.status).toBe(201);
  return armed.body as Fault;
}

async function received(system: 'wms' | 'carrier'): Promise<ReceivedRequest[]> {
  return (
    (await h.call(system, 'GET', '/_control/received')).body as { received: ReceivedRequest[] }
  ).received;
}

describe('fault injection', () => {
  it('answers 5xx on the faulted route only, for as many times as asked', async () => {
    await arm('wms', { kind: 'error', status: 503, route: 'POST /fulfillment-orders', times: 1 });
    expect((await h.call('wms', 'GET', '/fulfillment-orders')).status).toBe(200);
    const failed = await h.call('wms', 'POST', '/fulfillment-orders', order);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ errors: [{ errorCode: 'INJECTED' }] });
    expect((await h.call('wms', 'POST', '/fulfillment-orders', order)).status).toBe(201);
    const log = await received('wms');
    expect(log.map((r) => [r.method, r.status, r.fault?.endsWith(':error') ?? false])).toEqual([
      ['GET', 200, false],
      ['POST', 503, true],
      ['POST', 201, false],
    ]);
    expect(Object.keys(h.sandbox.wms.runtime.state.orders)).toEqual(['FO-000001']);
  });

  it('answers 429 with Retry-After', async () => {
    await arm('tms', { kind: 'rate-limit', retryAfterSeconds: 7, route: '/shipments*' });
    const limited = await h.call('tms', 'GET', '/shipments');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toMatchObject({ error_code: 'RATE_LIMIT' });
  });

  it('adds latency and still answers', async () => {
    await arm('carrier', { kind: 'latency', ms: 50, route: 'GET /tracking/:id', times: 1 });
    await h.call('carrier', 'POST', '/shipments', { Reference: 'S-1' });
    expect((await h.call('carrier', 'GET', '/tracking/1Z0000000017')).status).toBe(200);
    expect((await received('carrier')).at(-1)?.fault).toBe('fault-1:latency');
  });

  it('hangs until the caller gives up, or drops the connection after ms', async () => {
    await arm('carrier', { kind: 'hang', route: 'POST /rates', times: 1 });
    await expect(
      fetch(`${h.sandbox.urls.carrier}/rates`, {
        method: 'POST',
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow(/aborted|timeout/i);
    await arm('carrier', { kind: 'hang', ms: 20, route: 'POST /rates', times: 1 });
    await expect(fetch(`${h.sandbox.urls.carrier}/rates`, { method: 'POST' })).rejects.toThrow();
    const log = await received('carrier');
    expect(log.map((r) => r.status)).toEqual([null, null]);
  });

  it('drops the answer of a request that took effect, and a retry with the same key is replayed', async () => {
    await arm('wms', { kind: 'drop-response', route: 'POST /fulfillment-orders', times: 1 });
    const send = () =>
      fetch(`${h.sandbox.urls.wms}/fulfillment-orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer wms-test-token',
          'idempotency-key': 'k-1',
        },
        body: JSON.stringify(order),
      });
    await expect(send()).rejects.toThrow();
    expect(Object.keys(h.sandbox.wms.runtime.state.orders)).toEqual(['FO-000001']);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(Object.keys(h.sandbox.wms.runtime.state.orders)).toEqual(['FO-000001']);
    expect((await received('wms')).map((r) => [r.status, r.replayed])).toEqual([
      [null, false],
      [201, true],
    ]);
  });

  it('refuses a fault it does not understand', async () => {
    const bad = await h.call('erp', 'POST', '/_control/faults', { kind: 'flood' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      error: { message: { value: expect.stringContaining('kind must be one of') } },
    });
    const fault = await arm('erp', { kind: 'error' });
    expect((await h.call('erp', 'GET', '/_control/faults')).body).toEqual({ faults: [fault] });
    expect((await h.call('erp', 'DELETE', `/_control/faults/${fault.id}`)).status).toBe(204);
    expect((await h.call('erp', 'DELETE', `/_control/faults/${fault.id}`)).status).toBe(404);
  });
});

describe('faults in order', () => {
  it('an answering fault leaves the faults armed after it for later requests', async () => {
    await arm('wms', { kind: 'error', status: 502, route: 'POST /fulfillment-orders', times: 1 });
    await arm('wms', { kind: 'drop-response', route: 'POST /fulfillment-orders', times: 1 });
    expect((await h.call('wms', 'POST', '/fulfillment-orders', order)).status).toBe(502);
    await expect(h.call('wms', 'POST', '/fulfillment-orders', order)).rejects.toThrow();
    expect((await h.call('wms', 'POST', '/fulfillment-orders', order)).status).toBe(201);
    expect((await received('wms')).map((r) => r.fault?.split(':')[1] ?? 'none')).toEqual([
      'error',
      'drop-response',
      'none',
    ]);
  });
});

describe('outages', () => {
  it('answer 503 (or drop connections) until the outage is over', async () => {
    let now = Date.parse('2026-12-01T08:00:00Z');
    const sandbox = await startSandbox({
      secrets: testSecrets,
      clock: { now: () => new Date(now) },
    });
    try {
      const url = `${sandbox.urls.carrier}/rates`;
      const rate = () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"WeightLbs":1}',
        });
      sandbox.carrier.runtime.faults.add({
        kind: 'outage',
        seconds: 30,
        mode: 'status',
        route: undefined,
        event: undefined,
        remaining: undefined,
      });
      expect((await rate()).status).toBe(503);
      now += 29_000;
      expect((await rate()).status).toBe(503);
      now += 2_000;
      expect((await rate()).status).toBe(200);
      sandbox.carrier.runtime.faults.add({
        kind: 'outage',
        seconds: 10,
        mode: 'reset',
        route: undefined,
        event: undefined,
        remaining: undefined,
      });
      await expect(rate()).rejects.toThrow();
      now += 11_000;
      expect((await rate()).status).toBe(200);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('idempotency and the received log', () => {
  it('replays the first answer for a repeated Idempotency-Key and creates nothing twice', async () => {
    const first = await h.call('wms', 'POST', '/fulfillment-orders', order, {
      'idempotency-key': 'run-1:n-create',
    });
    const second = await h.call('wms', 'POST', '/fulfillment-orders', order, {
      'idempotency-key': 'run-1:n-create',
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(Object.keys(h.sandbox.wms.runtime.state.orders)).toHaveLength(1);
    const log = await received('wms');
    expect(log.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ['run-1:n-create', false],
      ['run-1:n-create', true],
    ]);
    expect(log[0]?.body).toEqual(order);
  });

  it('filters what it received and forgets everything on reset', async () => {
    await h.call('wms', 'POST', '/fulfillment-orders', order);
    await h.call('wms', 'GET', '/fulfillment-orders/FO-000001');
    const posts = await h.call(
      'wms',
      'GET',
      '/_control/received?method=POST&path=/fulfillment-orders',
    );
    expect((posts.body as { received: unknown[] }).received).toHaveLength(1);
    const since = await h.call('wms', 'GET', '/_control/received?since=1');
    expect((since.body as { received: ReceivedRequest[] }).received.map((r) => r.path)).toEqual([
      '/fulfillment-orders/FO-000001',
    ]);
    await h.call('wms', 'POST', '/_control/reset');
    expect(await received('wms')).toEqual([]);
    expect((await h.call('wms', 'GET', '/_control/state')).body).toEqual({
      orders: {},
      receipts: {},
      inventory: {},
    });
  });
});

describe('event delivery', () => {
  it('delivers a duplicated event several times with the same event id and body', async () => {
    await arm('carrier', { kind: 'duplicate', event: 'carrier/milestone', copies: 3, times: 1 });
    await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'S-1',
      StatusCode: 'D1',
    });
    await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'S-1',
      StatusCode: 'CD',
    });
    const events = await h.receiver.waitFor('carrier/milestone', 4);
    const ids = events.map((e) => e.headers['x-sandbox-event-id']);
    expect(ids).toEqual([
      'CARRIER-EVT-000001',
      'CARRIER-EVT-000001',
      'CARRIER-EVT-000001',
      'CARRIER-EVT-000002',
    ]);
    expect(new Set(events.slice(0, 3).map((e) => e.body)).size).toBe(1);
    const sent = (await h.call('carrier', 'GET', '/_control/sent')).body as { sent: Delivery[] };
    expect(sent.sent.map((d) => d.copy)).toEqual([1, 2, 3, 1]);
  });

  it('retries 5xx and 429 (honouring Retry-After), and gives up on 4xx', async () => {
    let calls = 0;
    h.receiver.answer = (event) => {
      if (event.path !== 'wms/inventory-adjusted') return { status: 202 };
      calls += 1;
      if (calls === 1) return { status: 500 };
      if (calls === 2) return { status: 429, headers: { 'retry-after': '0' } };
      return { status: 202 };
    };
    await h.call('wms', 'POST', '/_control/simulate/adjust', {
      warehouse: 'DC',
      sku: 'A',
      adjustmentQty: 1,
    });
    await h.sandbox.idle();
    h.receiver.answer = () => ({ status: 400 });
    await h.call('wms', 'POST', '/_control/simulate/adjust', {
      warehouse: 'DC',
      sku: 'A',
      adjustmentQty: 1,
    });
    await h.sandbox.idle();
    const sent = (await h.call('wms', 'GET', '/_control/sent?path=wms/*')).body as {
      sent: Delivery[];
    };
    expect(sent.sent.map((d) => [d.status, d.responses])).toEqual([
      ['delivered', [500, 429, 202]],
      ['failed', [400]],
    ]);
    expect(h.receiver.json('wms/inventory-adjusted')).toHaveLength(1);
  });

  it('sends later events to a new webhook base once told', async () => {
    const other = await startReceiver();
    try {
      h.sandbox.setWebhookBaseUrl(other.url);
      await h.call('carrier', 'POST', '/_control/simulate/pod', {
        Reference: 'S-2',
        SignedBy: 'Y',
      });
      expect(await other.waitFor('carrier/pod')).toHaveLength(1);
      expect(h.receiver.json('carrier/pod')).toEqual([]);
    } finally {
      h.sandbox.setWebhookBaseUrl(h.receiver.url);
      await other.close();
    }
  });

  it('signs deliveries when given a signing secret', async () => {
    const receiver = await startReceiver();
    const sandbox = await startSandbox({
      secrets: testSecrets,
      webhookBaseUrl: receiver.url,
      webhookSigningSecret: 'hook-secret',
    });
    try {
      await fetch(`${sandbox.urls.carrier}/_control/simulate/pod`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Reference: 'S-1', SignedBy: 'X' }),
      });
      const [event] = await receiver.waitFor('carrier/pod');
      const timestamp = String(event?.headers['x-crossdock-timestamp']);
      const expected = createHmac('sha256', 'hook-secret')
        .update(`${timestamp}.${event?.body}`)
        .digest('hex');
      expect(event?.headers['x-crossdock-signature']).toBe(expected);
    } finally {
      await sandbox.stop();
      await receiver.close();
    }
  });
});
