import type { ErpState, WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('order-exceptions');
});
afterAll(async () => {
  await s?.stop();
});

const erp = () => s.sandbox.erp.runtime.state as ErpState;
const wms = () => s.sandbox.wms.runtime.state as WmsState;

/** Releases an order in the ERP and returns the WMS fulfillment order id Crossdock created. */
async function released(vbeln: string, overrides: Record<string, unknown> = {}): Promise<string> {
  await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder(vbeln, overrides));
  await s.settle();
  const fo = Object.values(wms().orders).find((o) => o.orderRef === vbeln);
  if (!fo) throw new Error(`no fulfillment order for ${vbeln}`);
  return fo.orderId;
}

async function floor(step: 'pick' | 'pack' | 'ship', body: Record<string, unknown>): Promise<void> {
  await s.call('wms', 'POST', `/_control/simulate/${step}`, body);
  await s.settle();
}

describe('order exceptions', () => {
  it('inventory short pick: the ERP learns which item was short', async () => {
    const orderId = await released('0000510001');
    await floor('pick', { orderId, shorts: { '4006381333931': 4 } });
    expect(erp().orders['0000510001']?.STATUS_LOG.at(-1)).toMatchObject({
      STATUS: 'PIK',
      REASON: 'Short pick: 4006381333931 short 4',
    });
  });

  it('partial shipment: the ERP order is partially shipped (B) with the open quantity named', async () => {
    const orderId = await released('0000510002');
    await floor('pick', { orderId, shorts: { '4006381333931': 4 } });
    await floor('pack', { orderId });
    await floor('ship', { orderId });
    expect(erp().orders['0000510002']).toMatchObject({ STATUS: 'B' });
    expect(erp().orders['0000510002']?.STATUS_LOG.at(-1)?.REASON).toBe(
      'Partial shipment; backordered: 4006381333931 x 4',
    );
  });

  it('backorder: a line with no stock ships nothing, the rest ships, the TMS plans only what was packed', async () => {
    const orderId = await released('0000510003');
    await floor('pick', { orderId, shorts: { '4006381333948': 2 } });
    await floor('pack', { orderId });
    await floor('ship', { orderId });
    expect(erp().orders['0000510003']?.STATUS_LOG.at(-1)).toMatchObject({
      STATUS: 'B',
      REASON: 'Partial shipment; backordered: 4006381333948 x 2',
    });
    const shipment = Object.values(s.sandbox.tms.runtime.state.shipments).find(
      (x) => x.order_ref === '0000510003',
    );
    // only the 24 eaches were packed: (24 x 1.1 + 0.8) lb = 27.2 lb = 12.34 kg
    expect(shipment?.gross_weight_kg).toBe(12.34);
  });

  it('incomplete order: no country, so the ERP order goes on hold and nothing reaches the WMS', async () => {
    await s.call(
      'erp',
      'POST',
      '/_control/simulate/release-order',
      salesOrder('0000510004', {
        WE: {
          NAME1: 'Alpine Outdoor Lager',
          STRAS: 'Industriestrasse 4',
          ORT01: 'Zug',
          PSTLZ: '6300',
        },
      }),
    );
    await s.settle();
    expect(erp().orders['0000510004']).toMatchObject({
      LIFSK: '01',
      HOLDS: [{ REASON: 'Ship-to address has no country; not released to the warehouse' }],
    });
    expect(Object.values(wms().orders).filter((o) => o.orderRef === '0000510004')).toEqual([]);
  });

  it('address correction after release: the WMS takes it before packing, customer service hears when it is too late', async () => {
    const early = await released('0000510005');
    const corrected = {
      NAME1: 'Nordwind Store 14',
      STRAS: 'Kaiserkai 3',
      ORT01: 'Hamburg',
      PSTLZ: '20457',
      LAND1: 'DE',
    };
    await s.call('erp', 'PATCH', '/orders/0000510005', { WE: corrected });
    await s.settle();
    expect(wms().orders[early]?.shipTo.street).toBe('Kaiserkai 3');

    const late = await released('0000510006');
    await floor('pick', { orderId: late });
    await floor('pack', { orderId: late });
    await s.call('erp', 'PATCH', '/orders/0000510006', { WE: corrected });
    await s.settle();
    expect(wms().orders[late]?.shipTo.street).toBe('Hafenstrasse 12');
    const items = erp().documents.filter((d) => d.BLART === 'WF' && d.VBELN === '0000510006');
    expect(items).toMatchObject([
      {
        GROUP: 'CUSTOMER_SERVICE',
        VBELN: '0000510006',
        TEXT: expect.stringContaining('reached the warehouse too late'),
      },
    ]);
    const [run] = (await s.runsOf('erp-order-changed')).filter(
      (r) => r.businessKeys?.order === '0000510006',
    );
    expect(run?.status).toBe('succeeded');
    expect(run?.steps.map((step) => `${step.nodeId}:${step.status}`)).toContain('n-patch:failed');
  });
});
