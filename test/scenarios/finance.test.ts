import type { ErpState, WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('finance');
});
afterAll(async () => {
  await s?.stop();
});

const erp = () => s.sandbox.erp.runtime.state as ErpState;
const wms = () => s.sandbox.wms.runtime.state as WmsState;

describe('finance and inventory', () => {
  it('WMS shipped but the ERP posting fails: the shipment stays shipped, finance and customer service are flagged', async () => {
    await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder('0000530001'));
    await s.settle();
    const fo = Object.values(wms().orders).find((o) => o.orderRef === '0000530001');
    for (const step of ['pick', 'pack']) {
      await s.call('wms', 'POST', `/_control/simulate/${step}`, { orderId: fo?.orderId });
      await s.settle();
    }
    await s.call('erp', 'POST', '/_control/faults', {
      kind: 'error',
      status: 500,
      route: 'PATCH /orders/0000530001/status',
    });
    await s.call('wms', 'POST', '/_control/simulate/ship', { orderId: fo?.orderId });
    await s.settle();

    expect(wms().orders[fo?.orderId ?? '']?.statusCode).toBe(50);
    expect(erp().orders['0000530001']?.STATUS).toBe('PAK');
    const items = erp().documents.filter((d) => d.BLART === 'WF' && d.VBELN === '0000530001');
    expect(items.map((d) => d.GROUP).sort()).toEqual(['CUSTOMER_SERVICE', 'FINANCE']);
    expect(items.find((d) => d.GROUP === 'FINANCE')?.TEXT).toContain(
      'did not take the goods issue',
    );
    const [run] = (await s.runsOf('wms-ship-confirmed')).filter(
      (r) => r.businessKeys?.order === '0000530001',
    );
    expect(run?.status).toBe('succeeded');
    const erpSteps = run?.steps.filter((step) => step.nodeId === 'n-erp') ?? [];
    expect(erpSteps.map((step) => `${step.attempt}:${step.status}`)).toEqual([
      '1:retrying',
      '2:retrying',
      '3:failed',
    ]);
    expect(erpSteps.at(-1)?.ports).toEqual(['error']);
  });

  it('WMS inventory adjustments become ERP inventory differences (702 loss, 701 gain) in the right plant', async () => {
    await s.call('wms', 'POST', '/_control/simulate/adjust', {
      warehouse: 'DC-WEST',
      sku: 'M-4711',
      adjustmentQty: -3,
      reasonCode: 'DM',
    });
    await s.call('wms', 'POST', '/_control/simulate/adjust', {
      warehouse: 'DC-EAST',
      sku: 'M-4711',
      adjustmentQty: 5,
      reasonCode: 'FD',
    });
    await s.settle();
    const postings = erp().documents.filter((d) => d.BLART === 'WI' && d.MATNR === 'M-4711');
    expect(postings.map((d) => [d.WERKS, d.BWART, d.MENGE, d.MEINS, d.SGTXT])).toEqual(
      expect.arrayContaining([
        ['PLANT-2000', '702', 3, 'ST', 'Damaged'],
        ['PLANT-1000', '701', 5, 'ST', 'Found'],
      ]),
    );
    expect(postings).toHaveLength(2);
  });

  it('a WMS receipt is booked as an ERP goods receipt, and a short delivery gives logistics a work item', async () => {
    await s.call('erp', 'POST', '/purchase-orders', {
      EBELN: '4500000530',
      LIFNR: 'V-100',
      WERKS: 'PLANT-1000',
      ITEMS: [
        { MATNR: 'M-1', MENGE: 60 },
        { MATNR: 'M-2', MENGE: 10, MEINS: 'KAR' },
      ],
    });
    const receipt = await s.call<{ receiptId: string }>('wms', 'POST', '/receipt-expectations', {
      asnNumber: 'ASN0000530',
      poNumber: '4500000530',
      warehouse: 'DC-EAST',
      lines: [
        { sku: 'M-1', expectedQty: 60 },
        { sku: 'M-2', expectedQty: 10, uom: 'CS' },
      ],
    });
    await s.call('wms', 'POST', '/_control/simulate/receive', {
      receiptId: receipt.receiptId,
      received: { 'M-2': 8 },
    });
    await s.settle();
    expect(erp().purchaseOrders['4500000530']?.ITEMS.map((i) => i.WEMNG)).toEqual([60, 8]);
    const gr = erp().documents.find((d) => d.BLART === 'WE' && d.EBELN === '4500000530');
    expect(gr).toMatchObject({
      LIFEX: 'ASN0000530',
      ITEMS: [
        { MATNR: 'M-1', ERFMG: 60, ERFME: 'ST' },
        { MATNR: 'M-2', ERFMG: 8, ERFME: 'KAR' },
      ],
    });
    const note = erp().documents.find(
      (d) => d.BLART === 'WF' && String(d.TEXT).includes('4500000530'),
    );
    expect(note).toMatchObject({ GROUP: 'LOGISTICS', TEXT: expect.stringContaining('M-2 -2') });
  });
});
