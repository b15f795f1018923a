import type { ErpState, TmsState, WmsState } from '@crossdock/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('order-to-ship');
});
afterAll(async () => {
  await s?.stop();
});

const erp = () => s.sandbox.erp.runtime.state as ErpState;
const wms = () => s.sandbox.wms.runtime.state as WmsState;
const tms = () => s.sandbox.tms.runtime.state as TmsState;

describe('order to ship to bill', () => {
  it('releases, fulfils, plans, tenders, accrues, delivers and bills an order, each system in its own format', async () => {
    await s.call('erp', 'POST', '/_control/simulate/release-order', salesOrder('0000500001'));
    await s.settle();
    const fo = Object.values(wms().orders).find((o) => o.orderRef === '0000500001');
    expect(fo).toMatchObject({
      orderRef: '0000500001',
      warehouse: 'DC-EAST',
      priority: 'HIGH',
      shipTo: { country: 'DE', street: 'Hafenstrasse 12' },
      lines: [
        { sku: '4006381333931', orderedQty: 24, uom: 'EA' },
        { sku: '4006381333948', orderedQty: 2, uom: 'CS' },
      ],
    });

    // The floor confirms pick, pack and ship minutes apart, so their events arrive in order.
    for (const step of ['pick', 'pack', 'ship']) {
      await s.call('wms', 'POST', `/_control/simulate/${step}`, {
        orderId: fo?.orderId,
        cartons: 2,
      });
      await s.settle();
    }
    const order = erp().orders['0000500001'];
    expect(order?.STATUS_LOG.map((l) => l.STATUS)).toEqual(
      expect.arrayContaining(['REL', 'PIK', 'PAK', 'C']),
    );
    expect(order?.STATUS).toBe('C');
    const shipment = Object.values(tms().shipments).find((x) => x.order_ref === '0000500001');
    // 2 cartons: (24 x 1.1 + 0.8) lb and (2 x 13.2 + 0.8) lb, in kilograms
    expect(shipment?.packages.map((p) => p.weight_kg)).toEqual([12.34, 12.34]);
    expect(shipment).toMatchObject({
      order_ref: '0000500001',
      status: 'ACCEPTED',
      carrier_scac: 'SAIA',
      destination: { country_code: 'DE' },
    });
    expect(order).toMatchObject({
      TDLNR: 'SAIA',
      FREIGHT: { KBETR: (shipment?.planned_cost_cents ?? 0) / 100 },
    });

    const milestone = {
      Reference: shipment?.shipment_id,
      OrderReference: '0000500001',
      Scac: 'SAIA',
    };
    await s.call('carrier', 'POST', '/_control/simulate/milestone', {
      ...milestone,
      StatusCode: 'AF',
    });
    await s.settle();
    await s.call('carrier', 'POST', '/_control/simulate/milestone', {
      ...milestone,
      StatusCode: 'D1',
    });
    await s.settle();
    expect(tms().shipments[shipment?.shipment_id ?? '']?.milestones.map((m) => m.code)).toEqual([
      'PUP',
      'DLV',
    ]);
    expect(erp().orders['0000500001']).toMatchObject({ STATUS: 'DLV', BILLING: ['0090000001'] });
    const runs = await s.runsOf('carrier-milestone');
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });
});
