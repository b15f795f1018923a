import type { ErpState, TmsState, WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('edi');
});
afterAll(async () => {
  await s?.stop();
});

const erp = () => s.sandbox.erp.runtime.state as ErpState;
const tms = () => s.sandbox.tms.runtime.state as TmsState;
const wms = () => s.sandbox.wms.runtime.state as WmsState;

/** An ERP order with a TMS shipment of 120 kg that SAIA accepted: 85.00 + 0.42 x 120 = 135.40 USD. */
async function planned(vbeln: string): Promise<string> {
  await s.call('erp', 'POST', '/orders', salesOrder(vbeln));
  const shipment = await s.call<{ shipment_id: string; planned_cost_cents: number }>(
    'tms',
    'POST',
    '/shipments',
    {
      order_ref: vbeln,
      origin: { location_code: 'DC-EAST', country_code: 'US' },
      destination: { name: 'Nordwind Store 14', city: 'Hamburg', country_code: 'DE' },
      packages: [{ weight_kg: 120 }],
    },
  );
  expect(shipment.planned_cost_cents).toBe(13_540);
  await s.settle();
  return shipment.shipment_id;
}

async function invoice(
  shipmentId: string,
  invoiceNumber: string,
  cents: { LinehaulCents: number; FuelCents: number; AccessorialCents?: number },
) {
  await s.call('carrier', 'POST', '/_control/simulate/freight-invoice', {
    Reference: shipmentId,
    Scac: 'SAIA',
    InvoiceNumber: invoiceNumber,
    ...cents,
  });
  await s.settle();
  return erp().documents.find((d) => d.BLART === 'KR' && d.XBLNR === invoiceNumber);
}

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${s.apiUrl}${path}`, {
    headers: { authorization: 'Bearer crossdock-dev-admin' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('EDI with trading partners', () => {
  it('freight invoice (210) within tolerance: posted with its variance, audit approved', async () => {
    const id = await planned('0000540001');
    const posted = await invoice(id, 'SAIA-INV-1', { LinehaulCents: 13_000, FuelCents: 600 });
    expect(posted).toMatchObject({
      LIFNR: 'SAIA',
      TKNUM: id,
      VBELN: '0000540001',
      WRBTR: 136,
      PLANNED: 135.4,
      VARIANCE: 0.6,
      ZLSPR: '',
    });
    expect(tms().shipments[id]?.freight_audits).toMatchObject([
      { invoice_number: 'SAIA-INV-1', billed_cents: 13_600, status: 'APPROVED' },
    ]);
    const runs = await s.runsOf('freight-invoice-210');
    expect(
      runs.find((r) => r.steps.some((st) => JSON.stringify(st.input).includes('SAIA-INV-1')))
        ?.status,
    ).toBe('succeeded');
  });

  it('freight invoice (210) over and under tolerance: payment blocked, audit disputed, an exception for an operator', async () => {
    const over = await planned('0000540002');
    const blocked = await invoice(over, 'SAIA-INV-2', {
      LinehaulCents: 13_000,
      FuelCents: 1_540,
      AccessorialCents: 7_500,
    });
    expect(blocked).toMatchObject({ WRBTR: 220.4, VARIANCE: 85, ZLSPR: 'R' });
    expect(tms().shipments[over]?.freight_audits).toMatchObject([
      { status: 'DISPUTED', variance_cents: 8_500 },
    ]);

    const under = await planned('0000540003');
    const short = await invoice(under, 'SAIA-INV-3', { LinehaulCents: 11_000, FuelCents: 500 });
    expect(short).toMatchObject({ WRBTR: 115, VARIANCE: -20.4, ZLSPR: 'R' });

    const exceptions = await api<{
      runs: Array<{
        flowId: string;
        status: string;
        failure?: { nodeId: string; error: { code: string; message: string } };
      }>;
    }>('/api/exceptions');
    const parked = exceptions.runs.filter((r) => r.flowId === 'freight-invoice-210');
    expect(parked.map((r) => [r.status, r.failure?.nodeId, r.failure?.error.code])).toEqual([
      ['failed', 'n-exception', 'dead-lettered'],
      ['failed', 'n-exception', 'dead-lettered'],
    ]);
    expect(parked.map((r) => r.failure?.error.message).sort()).toEqual([
      `Freight invoice SAIA-INV-2 from SAIA is 85 USD (62.8%) off the planned 135.4 for shipment ${over}; payment is blocked in the ERP`,
      `Freight invoice SAIA-INV-3 from SAIA is -20.4 USD (-15.1%) off the planned 135.4 for shipment ${under}; payment is blocked in the ERP`,
    ]);
  });

  it('supplier ASN (856) -> WMS receiving -> ERP goods receipt with the short quantity reconciled', async () => {
    await s.call('erp', 'POST', '/purchase-orders', {
      EBELN: '4500000540',
      LIFNR: 'V-100',
      WERKS: 'PLANT-1000',
      ITEMS: [
        { MATNR: '4006381333931', MENGE: 60 },
        { MATNR: '4006381333948', MENGE: 10, MEINS: 'KAR' },
      ],
    });
    await s.call('carrier', 'POST', '/_control/simulate/asn', {
      AsnNumber: 'ASN0000540',
      PoNumber: '4500000540',
      ShipToCode: 'DC-EAST',
      Cartons: [
        { Items: [{ Sku: '4006381333931', Quantity: 60 }] },
        { Items: [{ Sku: '4006381333948', Quantity: 10, Uom: 'CS' }] },
      ],
    });
    await s.settle();
    const receipt = Object.values(wms().receipts).find((r) => r.asnNumber === 'ASN0000540');
    expect(receipt).toMatchObject({
      poNumber: '4500000540',
      warehouse: 'DC-EAST',
      status: 'EXPECTED',
      lines: [
        { sku: '4006381333931', expectedQty: 60, uom: 'EA' },
        { sku: '4006381333948', expectedQty: 10, uom: 'CS' },
      ],
    });
    await s.call('wms', 'POST', '/_control/simulate/receive', {
      receiptId: receipt?.receiptId,
      received: { '4006381333948': 9 },
    });
    await s.settle();
    expect(erp().purchaseOrders['4500000540']?.ITEMS.map((i) => i.WEMNG)).toEqual([60, 9]);
    const note = erp().documents.find(
      (d) => d.BLART === 'WF' && String(d.TEXT).includes('ASN0000540'),
    );
    expect(note?.TEXT).toContain('4006381333948 -1');
  });

  it('carrier status (214) delivered: the TMS records it and the ERP bills once, even when the interchange comes twice', async () => {
    const vbeln = '0000540004';
    const id = await planned(vbeln);
    await s.call('carrier', 'POST', '/_control/faults', {
      kind: 'duplicate',
      event: 'carrier/edi-214',
      copies: 2,
      times: 1,
    });
    await s.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: id,
      Scac: 'SAIA',
      StatusCode: 'D1',
      Format: 'x12',
    });
    await s.settle();
    expect(tms().shipments[id]).toMatchObject({
      status: 'DELIVERED',
      milestones: [{ code: 'DLV' }],
    });
    expect(erp().orders[vbeln]).toMatchObject({ STATUS: 'DLV', BILLING: [expect.any(String)] });
    const runs = await s.runsOf('carrier-edi-214');
    expect(runs.filter((r) => JSON.stringify(r.trigger).includes(id))).toHaveLength(1);
  });
});
