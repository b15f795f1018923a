import type { ProcessDocument } from '@crossdock/nodes';
import type { Breach } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoProcesses, type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

/** The sample processes with every SLA shortened to two seconds. */
function shortened(): ProcessDocument[] {
  return repoProcesses().map((p) => ({
    ...p,
    expectations: p.expectations.map((x) => ({ ...x, within: 'PT2S' })),
  }));
}

const key = { authorization: 'Bearer crossdock-dev-admin' };
let s: Scenario;

beforeAll(async () => {
  s = await startScenario('tower', { processes: shortened() });
});
afterAll(async () => {
  await s?.stop();
});

async function api<T>(p: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${s.apiUrl}${p}`, {
    ...init,
    headers: { ...key, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const body = (await response.json()) as T;
  if (response.status >= 400) throw new Error(`${p}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Waits past the shortened SLAs, then lets the deadline scan run. */
async function pastDeadlines(): Promise<Breach[]> {
  await new Promise((r) => setTimeout(r, 2_200));
  const raised = await s.runtime.tower.tick();
  await s.settle();
  return raised;
}

/** The sum of a Prometheus metric's samples whose labels include `labels`. */
async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${s.apiUrl}/metrics`, { headers: key })).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('control tower on the sandbox', () => {
  it('a WMS that never allocates raises "waiting for allocation" for exactly those orders, owned by warehouse-ops, escalated once', async () => {
    await s.call('wms', 'POST', '/_control/faults', {
      kind: 'error',
      route: 'POST /fulfillment-orders',
      status: 422,
      times: 2,
    });
    for (const order of ['0000700001', '0000700002']) {
      await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(order));
      await s.settle();
    }
    await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder('0000700003'));
    await s.settle();

    const allocated = await api<{ stage: string }>(
      '/api/processes/order-to-cash/objects/0000700003',
    );
    expect(allocated.stage).toBe('fulfillment-created');

    const raised = await pastDeadlines();
    const allocation = raised.filter((b) => b.expectation === 'waiting-for-allocation');
    expect(allocation).toHaveLength(2);
    expect(
      raised.every(
        (b) => b.owner === 'warehouse-ops' || b.expectation !== 'waiting-for-allocation',
      ),
    ).toBe(true);

    const listed = await api<{ objects: { key: string }[] }>(
      '/api/processes/order-to-cash/objects?owner=warehouse-ops&stage=released',
    );
    expect(listed.objects.map((o) => o.key).sort()).toEqual(['0000700001', '0000700002']);

    // The seed's indicators: the order release backlog is the two orders the WMS never took.
    const indicators = await api<{ indicators: { indicator: string; objects: number }[] }>(
      '/api/processes/order-to-cash/summary',
    );
    expect(indicators.indicators).toContainEqual(
      expect.objectContaining({ indicator: 'order-release-backlog', objects: 2 }),
    );
    expect(
      await metric('crossdock_process_indicator', {
        process: 'order-to-cash',
        indicator: 'order-release-backlog',
      }),
    ).toBe(2);
    // The WMS's two refusals are API failures of its connection.
    expect(
      await metric('crossdock_connection_failures_total', {
        connection: 'wms',
        error_class: 'permanent',
      }),
    ).toBeGreaterThanOrEqual(2);

    // A second scan, and a third, fire nothing again.
    expect(await s.runtime.tower.tick()).toEqual([]);
    const escalations = await s.runsOf('process-escalation');
    const forAllocation = escalations.filter(
      (r) => (r.trigger as { expectation?: string }).expectation === 'waiting-for-allocation',
    );
    expect(forAllocation.map((r) => (r.trigger as { key: string }).key).sort()).toEqual([
      '0000700001',
      '0000700002',
    ]);
    expect(forAllocation.every((r) => r.status === 'succeeded')).toBe(true);
    const one = await api<{ breaches: Breach[] }>(
      '/api/processes/order-to-cash/objects/0000700001',
    );
    const breach = one.breaches.find((b) => b.expectation === 'waiting-for-allocation');
    expect(breach?.escalation?.runId).toBe(
      forAllocation.find((r) => (r.trigger as { key: string }).key === '0000700001')?.id,
    );

    const summary = await api<{
      breaches: { owner: string; severity: string; objects: number }[];
    }>('/api/processes/order-to-cash/summary');
    expect(summary.breaches).toContainEqual({
      owner: 'warehouse-ops',
      severity: 'high',
      objects: 2,
    });

    // Acknowledged with a comment: who and when are recorded, and it leaves the open counts.
    const acked = await api<Breach>(
      `/api/processes/order-to-cash/objects/0000700001/breaches/${encodeURIComponent(breach?.id ?? '')}/ack`,
      {
        method: 'POST',
        body: JSON.stringify({ comment: 'WMS team re-sending the order' }),
        headers: { 'x-crossdock-user': 'dana' },
      },
    );
    expect(acked).toMatchObject({
      status: 'acknowledged',
      ack: { by: 'dana (admin)', comment: 'WMS team re-sending the order' },
    });
    const after = await api<{ breaches: { owner: string; objects: number }[] }>(
      '/api/processes/order-to-cash/summary',
    );
    expect(after.breaches).toContainEqual({ owner: 'warehouse-ops', severity: 'high', objects: 1 });
  });

  it('a 210 over tolerance fails the freight check, owned by freight-audit; one within passes', async () => {
    const over = await plannedShipment('0000710001');
    const within = await plannedShipment('0000710002');
    await freightInvoice(over, 'SAIA-INV-71', {
      LinehaulCents: 13_000,
      FuelCents: 1_540,
      AccessorialCents: 7_500,
    });
    await freightInvoice(within, 'SAIA-INV-72', { LinehaulCents: 12_000, FuelCents: 1_600 });
    const failed = await api<{ objects: { key: string; failedChecks: string[] }[] }>(
      '/api/processes/freight-settlement/objects?limit=100',
    );
    const byKey = new Map(failed.objects.map((o) => [o.key, o.failedChecks]));
    expect(byKey.get(over)).toEqual(['invoice-within-tolerance']);
    expect(byKey.get(within)).toEqual([]);
    const object = await api<{
      failedChecks: { owner: string; values: Record<string, Record<string, number>> }[];
    }>(`/api/processes/freight-settlement/objects/${over}`);
    expect(object.failedChecks[0]).toMatchObject({
      owner: 'freight-audit',
      values: { planned: { plannedCost: 135.4 }, invoiced: { invoicedAmount: 220.4 } },
    });
    const summary = await api<{ failedChecks: { check: string; objects: number }[] }>(
      '/api/processes/freight-settlement/summary',
    );
    expect(summary.failedChecks).toMatchObject([{ check: 'invoice-within-tolerance', objects: 1 }]);
    const indicators = await api<{ indicators: { indicator: string; objects: number }[] }>(
      '/api/processes/freight-settlement/summary',
    );
    expect(indicators.indicators).toEqual([
      {
        indicator: 'freight-reconciliation-exceptions',
        name: 'Freight invoices outside the planned cost tolerance',
        objects: 1,
      },
    ]);
    expect(
      await metric('crossdock_process_indicator', {
        process: 'freight-settlement',
        indicator: 'freight-reconciliation-exceptions',
      }),
    ).toBe(1);
  });

  it('a delivered order not invoiced within its SLA appears under "delivered but not invoiced", owned by finance', async () => {
    const billed = '0000730001';
    const stuck = '0000730002';
    const billedShipment = await plannedShipment(billed);
    const stuckShipment = await plannedShipment(stuck);
    const delivered = (Reference: string, OrderReference: string) =>
      s.call('carrier', 'POST', '/_control/simulate/milestone', {
        Reference,
        OrderReference,
        Scac: 'SAIA',
        StatusCode: 'D1',
      });
    await delivered(billedShipment, billed);
    await s.settle();
    // The ERP refuses every call while the second delivery comes in: delivered, never invoiced.
    const fault = await s.call<{ id: string }>('erp', 'POST', '/_control/faults', {
      kind: 'error',
      status: 400,
      times: 1000,
    });
    await delivered(stuckShipment, stuck);
    await s.settle();
    await s.call('erp', 'DELETE', `/_control/faults/${fault.id}`);

    const before = await api<{
      stage: string;
      open: { expectation: string; timeLeftMs: number }[];
    }>(`/api/processes/order-to-cash/objects/${stuck}`);
    expect(before.stage).toBe('delivered');
    expect(before.open.map((o) => o.expectation)).toContain('delivered-not-invoiced');
    expect(
      (await api<{ stage: string }>(`/api/processes/order-to-cash/objects/${billed}`)).stage,
    ).toBe('invoiced');

    await pastDeadlines();
    const finance = await api<{
      objects: { key: string; openBreaches: { expectation: string }[] }[];
    }>('/api/processes/order-to-cash/objects?owner=finance');
    const keys = finance.objects
      .filter((o) => o.openBreaches.some((b) => b.expectation === 'delivered-not-invoiced'))
      .map((o) => o.key);
    expect(keys).toContain(stuck);
    expect(keys).not.toContain(billed);
  });

  it('a shipped order is in stage "shipped": the sandbox tenders at pack, before the ship', async () => {
    const order = '0000740001';
    await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(order));
    await s.settle();
    const fos = Object.values(
      (
        s.sandbox.wms.runtime.state as {
          orders: Record<string, { orderId: string; orderRef: string }>;
        }
      ).orders,
    );
    const fo = fos.find((o) => o.orderRef === order)?.orderId;
    for (const step of ['pick', 'pack', 'ship']) {
      await s.call('wms', 'POST', `/_control/simulate/${step}`, { orderId: fo, cartons: 1 });
      await s.settle();
    }
    const object = await api<{ stage: string; timeline: { milestone: string }[] }>(
      `/api/processes/order-to-cash/objects/${order}`,
    );
    // The flows tender and get the acceptance before the ship confirmation; the process lists
    // its milestones in that order, so the furthest one is the true stage. (Tendered is stamped
    // when the pack flow's TMS call returns, which is after the TMS answered the acceptance
    // inside that call: occurrence times alone could not give the stage.)
    const recorded = object.timeline.map((e) => e.milestone);
    expect(recorded.slice(0, 4)).toEqual(['released', 'fulfillment-created', 'picked', 'packed']);
    expect(recorded.slice(4, 6).sort()).toEqual(['accepted', 'tendered']);
    expect(recorded.at(-1)).toBe('shipped');
    expect(object.stage).toBe('shipped');
  });

  it('events out of order (pack before pick) give the furthest stage and a timeline in occurrence order', async () => {
    const order = '0000720001';
    await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(order));
    await s.settle();
    const base = { orderId: 'FO-X', warehouse: 'DC-EAST', pickTicket: 'PT-X', orderRef: order };
    const pack = {
      ...base,
      eventId: 'E-2',
      eventType: 'PACK_CONFIRMED',
      eventTime: '2026-12-01T08:25:00.000Z',
      statusCode: 40,
      cartonCount: 1,
      totalWeightLb: 10,
      cartons: [],
    };
    const pick = {
      ...base,
      eventId: 'E-1',
      eventType: 'PICK_CONFIRMED',
      eventTime: '2026-12-01T08:14:00.000Z',
      statusCode: 30,
      lines: [],
    };
    for (const [path, body] of [
      ['wms/pack-confirmed', pack],
      ['wms/pick-confirmed', pick],
    ] as const) {
      const response = await fetch(`${s.apiUrl}/hooks/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      await s.settle();
    }
    const object = await api<{
      stage: string;
      timeline: { milestone: string; occurredAt: string; runId: string; run: string }[];
    }>(`/api/processes/order-to-cash/objects/${order}`);
    const picked = object.timeline.findIndex((e) => e.milestone === 'picked');
    const packed = object.timeline.findIndex((e) => e.milestone === 'packed');
    expect(picked).toBeGreaterThanOrEqual(0);
    expect(picked).toBeLessThan(packed);
    expect(object.timeline[picked]?.occurredAt).toBe('2026-12-01T08:14:00.000Z');
    expect(['packed', 'tendered', 'accepted']).toContain(object.stage);
    expect(object.timeline[packed]?.run).toBe(`/api/runs/${object.timeline[packed]?.runId}`);
  });
});

/** An ERP order with a TMS shipment of 120 kg that SAIA accepted: 135.40 USD planned. */
async function plannedShipment(vbeln: string): Promise<string> {
  await s.call('erp', 'POST', '/orders', salesOrder(vbeln));
  const shipment = await s.call<{ shipment_id: string }>('tms', 'POST', '/shipments', {
    order_ref: vbeln,
    origin: { location_code: 'DC-EAST', country_code: 'US' },
    destination: { name: 'Nordwind Store 14', city: 'Hamburg', country_code: 'DE' },
    packages: [{ weight_kg: 120 }],
  });
  await s.settle();
  return shipment.shipment_id;
}

async function freightInvoice(
  shipmentId: string,
  invoiceNumber: string,
  cents: { LinehaulCents: number; FuelCents: number; AccessorialCents?: number },
): Promise<void> {
  await s.call('carrier', 'POST', '/_control/simulate/freight-invoice', {
    Reference: shipmentId,
    Scac: 'SAIA',
    InvoiceNumber: invoiceNumber,
    ...cents,
  });
  await s.settle();
}
