import type { ErpState, ReceivedRequest, TmsState } from '@crossdock/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from './harness';
import { salesOrder } from './orders';

let s: Scenario;
beforeAll(async () => {
  s = await startScenario('carrier-events');
});
afterAll(async () => {
  await s?.stop();
});
afterEach(async () => {
  for (const scac of ['SAIA', 'EXFL', 'RDWY']) {
    await s.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: scac,
      tender_response: 'accept',
    });
  }
});

const erp = () => s.sandbox.erp.runtime.state as ErpState;
const tms = () => s.sandbox.tms.runtime.state as TmsState;

/** An ERP order and its TMS shipment (planned from the pack confirmation in real life). */
async function planned(vbeln: string): Promise<string> {
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

async function rejects(...scacs: string[]): Promise<void> {
  for (const scac of scacs) {
    await s.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: scac,
      tender_response: 'reject',
    });
  }
}

describe('carrier events', () => {
  it('carrier rejection: Crossdock re-tenders, the next carrier accepts, the ERP gets that carrier and its cost', async () => {
    await rejects('SAIA');
    const id = await planned('0000520001');
    const shipment = tms().shipments[id];
    expect(shipment?.tenders.map((t) => `${t.carrier_scac}:${t.status}`)).toEqual([
      'SAIA:REJECTED',
      'EXFL:ACCEPTED',
    ]);
    expect(erp().orders['0000520001']).toMatchObject({
      TDLNR: 'EXFL',
      FREIGHT: { KBETR: (shipment?.planned_cost_cents ?? 0) / 100, WAERS: 'USD' },
      LIFSK: '',
    });
  });

  it('carrier rejection by everyone: the ERP order goes on hold naming the carriers', async () => {
    await rejects('SAIA', 'EXFL', 'RDWY');
    const id = await planned('0000520002');
    expect(tms().shipments[id]?.tenders.map((t) => t.status)).toEqual([
      'REJECTED',
      'REJECTED',
      'REJECTED',
    ]);
    expect(erp().orders['0000520002']).toMatchObject({
      LIFSK: '01',
      HOLDS: [{ REASON: `No carrier accepted shipment ${id} (rejected by SAIA, EXFL, RDWY)` }],
      TDLNR: '',
    });
  });

  it('the same delivered event sent three times (and resent by the carrier) gives one invoice', async () => {
    const id = await planned('0000520003');
    const delivered = {
      Reference: id,
      OrderReference: '0000520003',
      Scac: 'SAIA',
      StatusCode: 'D1',
    };
    await s.call('carrier', 'POST', '/_control/faults', {
      kind: 'duplicate',
      event: 'carrier/milestone',
      copies: 3,
      times: 1,
    });
    await s.call('carrier', 'POST', '/_control/simulate/milestone', delivered);
    await s.settle();
    await s.call('carrier', 'POST', '/_control/simulate/milestone', delivered);
    await s.settle();
    const deliveries = s.sandbox.carrier.runtime.events.list({ path: 'carrier/milestone' });
    expect(
      deliveries.filter((d) => (d.body as { Reference?: string }).Reference === id),
    ).toHaveLength(4);
    expect(erp().orders['0000520003']?.BILLING).toHaveLength(1);
    const statusCalls = s.sandbox.erp.runtime.received
      .list({ method: 'PATCH', path: '/orders/0000520003/status' })
      .filter((r: ReceivedRequest) => !r.replayed);
    expect(statusCalls).toHaveLength(1);
    expect(tms().shipments[id]?.milestones.map((m) => m.code)).toEqual(['DLV']);
    const runs = (await s.runsOf('carrier-milestone')).filter(
      (r) => r.businessKeys?.order === '0000520003',
    );
    expect(runs).toHaveLength(1);
  });

  it('proof of delivery arriving late is recorded without billing again; arriving first, it bills', async () => {
    const late = await planned('0000520004');
    await s.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: late,
      OrderReference: '0000520004',
      StatusCode: 'D1',
    });
    await s.settle();
    await s.call('carrier', 'POST', '/_control/simulate/pod', {
      Reference: late,
      SignedBy: 'K. WAGNER',
    });
    await s.settle();
    expect(tms().shipments[late]?.milestones.map((m) => `${m.code} ${m.location}`)).toEqual([
      'DLV Chicago, US',
      'POD signed by K. WAGNER',
    ]);
    expect(erp().orders['0000520004']?.BILLING).toHaveLength(1);

    const early = await planned('0000520005');
    await s.call('carrier', 'POST', '/_control/simulate/pod', {
      Reference: early,
      OrderReference: '0000520005',
      SignedBy: 'M. BAUER',
    });
    await s.settle();
    expect(erp().orders['0000520005']).toMatchObject({
      STATUS: 'DLV',
      BILLING: [expect.any(String)],
    });
    await s.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: early,
      StatusCode: 'D1',
    });
    await s.settle();
    expect(erp().orders['0000520005']?.BILLING).toHaveLength(1);
    expect(tms().shipments[early]?.status).toBe('DELIVERED');
  });
});
