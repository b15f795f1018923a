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
});

async function control(system: 'erp' | 'wms', path: string, body: unknown) {
  const response = await fetch(`${h.sandbox.urls[system]}/_control/drift${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sandbox master data and drift', () => {
  it('ERP: material master paged by $skip/$top, drifted by /_control', async () => {
    for (const n of [1, 2, 3]) {
      const put = await h.call('erp', 'PUT', `/materials/M${n}`, {
        BRGEW: n,
        EAN11: `0400000000000${n}`,
      });
      expect(put.status).toBe(200);
    }
    const second = await h.call('erp', 'GET', '/materials?$skip=1&$top=1');
    expect(second.body).toMatchObject({
      d: { results: [{ MATNR: 'M2', BRGEW: 2, GEWEI: 'KG' }], __count: 3 },
    });
    expect((await control('erp', '/materials/M2', { BRGEW: 9.5 })).body).toMatchObject({
      BRGEW: 9.5,
    });
    expect((await h.call('erp', 'GET', '/materials/M2')).body).toMatchObject({
      BRGEW: 9.5,
      EAN11: '04000000000002',
    });
    expect((await control('erp', '/materials/NOPE', { BRGEW: 1 })).status).toBe(404);
    expect((await h.call('erp', 'PUT', '/materials/M9', { MEINS: 'XX', BRGEW: 1 })).status).toBe(
      422,
    );
  });

  it('ERP: stock and order status set by /_control, read over the API', async () => {
    await control('erp', '/stock', { stock: [{ MATNR: 'M1', WERKS: 'DC01', LABST: 40 }] });
    expect((await h.call('erp', 'GET', '/stock')).body).toMatchObject({
      d: { results: [{ MATNR: 'M1', WERKS: 'DC01', LABST: 40 }] },
    });
    const created = await h.call('erp', 'POST', '/orders', {
      KUNNR: 'C1',
      WERKS: 'DC01',
      WE: { NAME1: 'n', STRAS: 's', ORT01: 'o', PSTLZ: '1' },
      ITEMS: [{ MATNR: 'M1', KWMENG: 1, VRKME: 'ST' }],
    });
    const vbeln = (created.body as { VBELN: string }).VBELN;
    expect((await control('erp', `/orders/${vbeln}`, { STATUS: 'PAK' })).body).toMatchObject({
      STATUS: 'PAK',
    });
    expect((await control('erp', `/orders/${vbeln}`, { STATUS: 'ZZ' })).status).toBe(422);
    expect((await h.call('erp', 'GET', '/orders?$top=1')).body).toMatchObject({
      d: { results: [{ VBELN: vbeln, STATUS: 'PAK' }], __count: 1 },
    });
    await h.call('erp', 'PUT', '/plants/DC01', { NAME1: 'DC East', TZONE: 'America/New_York' });
    expect((await h.call('erp', 'GET', '/plants')).body).toMatchObject({
      d: { results: [{ WERKS: 'DC01', TZONE: 'America/New_York' }] },
    });
  });

  it('WMS: items, locations, on-hand and order status, paged by offset/limit', async () => {
    await h.call('wms', 'PUT', '/items/M1', { weightLb: 2.2, uom: 'EA', gtin: '04000000000001' });
    await h.call('wms', 'PUT', '/items/M2', { weightLb: 4.4 });
    expect((await h.call('wms', 'GET', '/items?offset=1&limit=5')).body).toMatchObject({
      data: [{ sku: 'M2', weightLb: 4.4 }],
      count: 2,
    });
    expect((await control('wms', '/items/M1', { weightLb: 3 })).body).toMatchObject({
      weightLb: 3,
      gtin: '04000000000001',
    });
    expect((await h.call('wms', 'PUT', '/items/M3', { uom: 'EA' })).status).toBe(422);
    await control('wms', '/inventory', {
      inventory: [{ warehouse: 'DC01', sku: 'M1', onHandQty: 7 }],
    });
    expect((await h.call('wms', 'GET', '/inventory')).body).toMatchObject({
      data: [{ warehouse: 'DC01', sku: 'M1', onHandQty: 7 }],
    });
    await h.call('wms', 'POST', '/fulfillment-orders', {
      orderRef: '0000100001',
      warehouse: 'DC01',
      shipTo: { name: 'n', street: 's', city: 'c', postalCode: '1', country: 'US' },
      lines: [{ sku: 'M1', qty: 1, uom: 'EA' }],
    });
    expect((await control('wms', '/orders/0000100001', { statusCode: 50 })).body).toMatchObject({
      statusCode: 50,
    });
    expect((await control('wms', '/orders/0000100001', { statusCode: 55 })).status).toBe(422);
    expect((await control('wms', '/orders/nope', { statusCode: 50 })).status).toBe(404);
    expect((await h.call('wms', 'GET', '/fulfillment-orders?limit=1')).body).toMatchObject({
      data: [{ orderRef: '0000100001', statusCode: 50 }],
    });
    await h.call('wms', 'PUT', '/locations/DC01', {
      name: 'DC East',
      timeZone: 'America/New_York',
    });
    expect((await h.call('wms', 'GET', '/locations')).body).toMatchObject({
      data: [{ code: 'DC01' }],
    });
  });

  it('TMS: the carrier master with service levels', async () => {
    const carriers = await h.call('tms', 'GET', '/carriers?limit=1');
    expect(carriers.body).toMatchObject({
      carriers: [{ carrier_scac: 'SAIA', service_levels: ['LTL', 'GUARANTEED'] }],
      total: 3,
    });
  });
});
