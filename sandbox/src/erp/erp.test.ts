import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';

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
});

const order = {
  KUNNR: 'C-2001',
  KUNNR_NAME: 'Nordwind Retail GmbH',
  WERKS: 'PLANT-1000',
  VSBED: '02',
  VDATU: '20261202',
  WE: {
    NAME1: 'Nordwind Store 14',
    STRAS: 'Hafenstrasse 12',
    ORT01: 'Hamburg',
    PSTLZ: '20457',
    LAND1: 'DE',
  },
  ITEMS: [
    { MATNR: '4006381333931', KWMENG: 24, VRKME: 'ST', BRGEW: 12 },
    { MATNR: '4006381333948', KWMENG: 2, VRKME: 'KAR', BRGEW: 20 },
  ],
};

describe('sandbox ERP', () => {
  it('refuses callers without the right x-api-key, in its own error format', async () => {
    const missing = await h.call('erp', 'GET', '/orders', undefined, { 'x-api-key': '' });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({
      error: { code: 'UNAUTHORIZED', message: { value: 'missing x-api-key header' } },
    });
    const wrong = await h.call('erp', 'GET', '/orders', undefined, { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
  });

  it('keeps orders in its SAP-like format and releases them as events', async () => {
    const created = await h.call('erp', 'POST', '/orders', order);
    expect(created.status).toBe(201);
    const vbeln = (created.body as { VBELN: string }).VBELN;
    expect(vbeln).toBe('0000100001');
    const read = await h.call('erp', 'GET', `/orders/${vbeln}`);
    expect(read.body).toMatchObject({
      VBELN: vbeln,
      STATUS: 'A',
      ITEMS: [
        { POSNR: '000010', VRKME: 'ST' },
        { POSNR: '000020', VRKME: 'KAR' },
      ],
    });

    await h.call('erp', 'POST', `/orders/${vbeln}/release`);
    const [event] = await h.receiver.waitFor('erp/order-released');
    expect(event?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(event?.body ?? '')).toMatchObject({
      event: 'order.released',
      order: {
        number: vbeln,
        revision: 1,
        status: 'RELEASED',
        serviceLevel: 'EXPRESS',
        requestedDate: '2026-12-02',
        shipTo: { countryCode: 'DE' },
        lines: [
          { line: 10, itemNumber: '4006381333931', quantity: 24, unit: 'ST' },
          { line: 20, unit: 'KAR' },
        ],
      },
    });
  });

  it('announces a ship-to correction after release as order.changed with a new revision', async () => {
    const { VBELN } = (await h.call('erp', 'POST', '/_control/simulate/release-order', order))
      .body as { VBELN: string };
    const changed = await h.call('erp', 'PATCH', `/orders/${VBELN}`, {
      WE: { ...order.WE, STRAS: 'Kai 3' },
    });
    expect(changed.status).toBe(200);
    await h.receiver.waitFor('erp/order-changed');
    expect(h.receiver.json('erp/order-changed')).toMatchObject([
      { event: 'order.changed', order: { revision: 2, shipTo: { street: 'Kai 3' } } },
    ]);
  });

  it('puts orders on hold, records status changes and bills on every DLV it is told about', async () => {
    await h.call('erp', 'POST', '/orders', { ...order, VBELN: '0000200001' });
    expect(
      (await h.call('erp', 'PUT', '/orders/0000200001/hold', { reason: 'address incomplete' }))
        .body,
    ).toEqual({ VBELN: '0000200001', LIFSK: '01' });
    expect(
      (await h.call('erp', 'PATCH', '/orders/0000200001/status', { status: 'B', reason: '3 of 5' }))
        .status,
    ).toBe(200);
    await h.call('erp', 'PATCH', '/orders/0000200001/status', { status: 'DLV' });
    const twice = await h.call('erp', 'PATCH', '/orders/0000200001/status', { status: 'DLV' });
    expect(twice.body).toMatchObject({ STATUS: 'DLV', BILLING: ['0090000001', '0090000002'] });
    const bad = await h.call('erp', 'PATCH', '/orders/0000200001/status', { status: 'SHIPPED' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      error: { message: { value: expect.stringContaining('status "SHIPPED" is not one of') } },
    });
  });

  it('rejects malformed documents with 422 and unknown ones with 404', async () => {
    const bad = await h.call('erp', 'POST', '/orders', {
      ...order,
      ITEMS: [{ MATNR: 'X', KWMENG: 1, VRKME: 'LB' }],
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('ITEMS[0].VRKME');
    expect((await h.call('erp', 'GET', '/orders/0000999999')).status).toBe(404);
    const broken = await fetch(`${h.sandbox.urls.erp}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'erp-test-key' },
      body: '{"KUNNR":',
    });
    expect(broken.status).toBe(400);
  });

  it('books goods receipts against purchase orders and reports the differences', async () => {
    await h.call('erp', 'POST', '/purchase-orders', {
      EBELN: '4500000001',
      LIFNR: 'V-100',
      WERKS: 'PLANT-1000',
      ITEMS: [
        { MATNR: 'M-1', MENGE: 10 },
        { MATNR: 'M-2', MENGE: 5 },
      ],
    });
    const receipt = await h.call('erp', 'POST', '/goods-receipts', {
      EBELN: '4500000001',
      LIFEX: 'ASN0000001',
      ITEMS: [
        { MATNR: 'M-1', ERFMG: 10 },
        { MATNR: 'M-2', ERFMG: 3 },
      ],
    });
    expect(receipt.status).toBe(201);
    expect(receipt.body).toMatchObject({
      MBLNR: '5000000001',
      DIFFERENCES: [{ MATNR: 'M-2', DIFF: -2 }],
    });
  });

  it('accrues planned freight on the order and posts freight invoices, inventory postings and work items', async () => {
    await h.call('erp', 'POST', '/orders', { ...order, VBELN: '0000300001' });
    const accrual = await h.call('erp', 'POST', '/freight-accruals', {
      VBELN: '0000300001',
      TKNUM: 'SHP-000001',
      TDLNR: 'SAIA',
      KBETR: 123.45,
      WAERS: 'USD',
    });
    expect(accrual.status).toBe(201);
    expect((await h.call('erp', 'GET', '/orders/0000300001')).body).toMatchObject({
      TDLNR: 'SAIA',
      FREIGHT: { KBETR: 123.45, WAERS: 'USD' },
    });
    expect(
      (
        await h.call('erp', 'POST', '/invoices', {
          XBLNR: 'INV1',
          LIFNR: 'SAIA',
          WRBTR: 150,
          ZLSPR: 'R',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await h.call('erp', 'POST', '/inventory-postings', {
          MATNR: 'M-1',
          WERKS: 'PLANT-1000',
          BWART: '999',
          MENGE: 1,
        })
      ).status,
    ).toBe(422);
    expect(
      (await h.call('erp', 'POST', '/work-items', { GROUP: 'FINANCE', TEXT: 'check' })).status,
    ).toBe(201);
    const state = (await h.call('erp', 'GET', '/_control/state')).body as {
      documents: Array<{ BLART: string }>;
    };
    expect(state.documents.map((d) => d.BLART)).toEqual(['FA', 'KR', 'WF']);
  });
});
