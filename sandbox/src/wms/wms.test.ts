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

const fulfillmentOrder = {
  orderRef: '0000100045',
  warehouse: 'DC-EAST',
  priority: 'HIGH',
  requestedShipDate: '2026-12-02',
  shipTo: {
    name: 'Nordwind Store 14',
    street: 'Hafenstrasse 12',
    city: 'Hamburg',
    postalCode: '20457',
    country: 'DE',
  },
  lines: [
    { sku: '4006381333931', qty: 24, uom: 'EA' },
    { sku: '4006381333948', qty: 2, uom: 'CS' },
  ],
};

async function create(): Promise<string> {
  const created = await h.call('wms', 'POST', '/fulfillment-orders', fulfillmentOrder);
  expect(created.status).toBe(201);
  return (created.body as { orderId: string }).orderId;
}

describe('sandbox WMS', () => {
  it('refuses a missing or wrong bearer token', async () => {
    expect(
      (await h.call('wms', 'GET', '/inventory', undefined, { authorization: '' })).body,
    ).toEqual({
      errors: [{ errorCode: 'UNAUTHORIZED', message: 'missing bearer token', httpStatus: 401 }],
    });
    expect(
      (await h.call('wms', 'GET', '/inventory', undefined, { authorization: 'Bearer x' })).status,
    ).toBe(401);
  });

  it('creates fulfillment orders with pick tickets and numeric statuses', async () => {
    const id = await create();
    const read = await h.call('wms', 'GET', `/fulfillment-orders/${id}`);
    expect(read.body).toMatchObject({
      orderId: 'FO-000001',
      pickTicket: 'PT00000001',
      statusCode: 20,
      statusText: 'Allocated',
    });
    const bad = await h.call('wms', 'POST', '/fulfillment-orders', {
      ...fulfillmentOrder,
      lines: [{ sku: 'A', qty: 1.5, uom: 'EA' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      errors: [{ message: 'lines[0].qty must be a positive integer' }],
    });
    const noCountry = await h.call('wms', 'POST', '/fulfillment-orders', {
      ...fulfillmentOrder,
      shipTo: { ...fulfillmentOrder.shipTo, country: 'de' },
    });
    expect(noCountry.status).toBe(422);
  });

  it('confirms a short pick, the pack in pounds and a partial shipment with backorders', async () => {
    const id = await create();
    await h.call('wms', 'POST', '/_control/simulate/pick', {
      orderId: id,
      shorts: { '4006381333931': 4 },
    });
    await h.call('wms', 'POST', '/_control/simulate/pack', { orderId: id, cartons: 2 });
    await h.call('wms', 'POST', '/_control/simulate/ship', { orderId: id, carrierCode: 'SAIA' });
    await h.receiver.waitFor('wms/ship-confirmed');
    expect(h.receiver.json('wms/pick-confirmed')).toMatchObject([
      {
        eventType: 'PICK_CONFIRMED',
        orderRef: '0000100045',
        lines: [
          { pickedQty: 20, shortQty: 4 },
          { pickedQty: 2, shortQty: 0 },
        ],
      },
    ]);
    const [packed] = h.receiver.json('wms/pack-confirmed') as Array<{
      cartonCount: number;
      totalWeightLb: number;
      cartons: Array<{ cartonId: string }>;
    }>;
    expect(packed?.cartonCount).toBe(2);
    // 20 EA x 1.1 lb + 2 CS x 13.2 lb + 2 x 0.8 lb tare
    expect(packed?.totalWeightLb).toBeCloseTo(50, 5);
    expect(packed?.cartons[0]?.cartonId).toMatch(/^\d{18}$/);
    expect(h.receiver.json('wms/ship-confirmed')).toMatchObject([
      {
        eventType: 'SHIP_CONFIRMED',
        complete: false,
        carrierCode: 'SAIA',
        lines: [
          { shippedQty: 20, backorderedQty: 4 },
          { shippedQty: 2, backorderedQty: 0 },
        ],
      },
    ]);
  });

  it('accepts a ship-to correction until the order is packed, then answers 409', async () => {
    const id = await create();
    const newShipTo = { ...fulfillmentOrder.shipTo, street: 'Kai 3' };
    expect(
      (await h.call('wms', 'PATCH', `/fulfillment-orders/${id}`, { shipTo: newShipTo })).status,
    ).toBe(200);
    await h.call('wms', 'POST', '/_control/simulate/pick', { orderId: id });
    await h.call('wms', 'POST', '/_control/simulate/pack', { orderId: id });
    const late = await h.call('wms', 'PATCH', `/fulfillment-orders/${id}`, { shipTo: newShipTo });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ errors: [{ errorCode: 'ORDER_LOCKED' }] });
    expect((await h.call('wms', 'POST', '/_control/simulate/pack', { orderId: id })).status).toBe(
      409,
    );
  });

  it('receives against a receipt expectation and reports inventory adjustments', async () => {
    const expected = await h.call('wms', 'POST', '/receipt-expectations', {
      asnNumber: 'ASN0000001',
      poNumber: '4500000001',
      warehouse: 'DC-EAST',
      lines: [
        { sku: 'M-1', expectedQty: 10 },
        { sku: 'M-2', expectedQty: 5 },
      ],
    });
    const { receiptId } = expected.body as { receiptId: string };
    await h.call('wms', 'POST', '/_control/simulate/receive', {
      receiptId,
      received: { 'M-2': 3 },
    });
    await h.call('wms', 'POST', '/_control/simulate/adjust', {
      warehouse: 'DC-EAST',
      sku: 'M-1',
      adjustmentQty: -2,
      reasonCode: 'DM',
    });
    await h.receiver.waitFor('wms/inventory-adjusted');
    expect(h.receiver.json('wms/receipt-confirmed')).toMatchObject([
      {
        eventType: 'RECEIPT_CONFIRMED',
        asnNumber: 'ASN0000001',
        lines: [
          { sku: 'M-1', receivedQty: 10 },
          { sku: 'M-2', receivedQty: 3 },
        ],
      },
    ]);
    expect(h.receiver.json('wms/inventory-adjusted')).toMatchObject([
      {
        eventType: 'INVENTORY_ADJUSTED',
        sku: 'M-1',
        adjustmentQty: -2,
        onHandBefore: 10,
        onHandAfter: 8,
        reasonCode: 'DM',
      },
    ]);
    const stock = await h.call('wms', 'GET', '/inventory?sku=M-1');
    expect(stock.body).toEqual({
      data: [{ warehouse: 'DC-EAST', sku: 'M-1', onHandQty: 8, uom: 'EA' }],
      count: 1,
    });
  });
});
