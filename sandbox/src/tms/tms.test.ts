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

const shipment = {
  order_ref: '0000100045',
  service_level: 'EXP',
  origin: { location_code: 'DC-EAST', city: 'Newark', country_code: 'US' },
  destination: {
    name: 'Nordwind Store 14',
    city: 'Hamburg',
    postal_code: '20457',
    country_code: 'DE',
  },
  packages: [{ weight_kg: 10 }, { weight_kg: 12.68 }],
};

describe('sandbox TMS', () => {
  it('refuses wrong basic credentials with a challenge', async () => {
    const wrong = await h.call('tms', 'GET', '/shipments', undefined, {
      authorization: `Basic ${Buffer.from('sandbox-tms-user:nope').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect(wrong.body).toEqual({
      error_code: 'UNAUTHORIZED',
      error_message: 'invalid username or password',
      http_status: 401,
    });
  });

  it('plans a shipment, tenders it to the cheapest carrier and reports the acceptance in cents', async () => {
    const created = await h.call('tms', 'POST', '/shipments', shipment);
    expect(created.status).toBe(201);
    // SAIA: 8500 + 42 x 22.68 = 9452.56 -> 9453 cents, cheaper than EXFL (10107) and RDWY (11862)
    expect(created.body).toMatchObject({
      shipment_id: 'SHP-000001',
      status: 'ACCEPTED',
      gross_weight_kg: 22.68,
      carrier_scac: 'SAIA',
      planned_cost_cents: 9453,
    });
    await h.receiver.waitFor('tms/shipment-accepted');
    expect(h.receiver.json('tms/shipment-tendered')).toMatchObject([
      {
        event_type: 'shipment.tendered',
        shipment_id: 'SHP-000001',
        carrier_scac: 'SAIA',
        offered_cost_cents: 9453,
      },
    ]);
    expect(h.receiver.json('tms/shipment-accepted')).toMatchObject([
      {
        event_type: 'shipment.accepted',
        order_ref: '0000100045',
        planned_cost_cents: 9453,
        pro_number: 'SAIA00000001',
      },
    ]);
  });

  it('reports a rejection and re-tenders to the next carrier, until none is left', async () => {
    await h.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: 'SAIA',
      tender_response: 'reject',
    });
    await h.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: 'EXFL',
      tender_response: 'reject',
    });
    const created = await h.call('tms', 'POST', '/shipments', shipment);
    expect(created.body).toMatchObject({
      status: 'PLANNED',
      tenders: [{ carrier_scac: 'SAIA', status: 'REJECTED', reason_code: 'CAP' }],
    });
    const second = await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    expect(second.body).toMatchObject({ carrier_scac: 'EXFL', status: 'REJECTED' });
    const third = await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    expect(third.body).toMatchObject({ carrier_scac: 'RDWY', status: 'ACCEPTED' });
    await h.receiver.waitFor('tms/shipment-rejected', 2);
    expect(h.receiver.json('tms/shipment-rejected').at(-1)).toMatchObject({
      rejected_scacs: ['SAIA', 'EXFL'],
    });
    const again = await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error_code: 'INVALID_STATE' });
  });

  it('leaves manual carriers pending until the simulated answer', async () => {
    await h.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: 'SAIA',
      tender_response: 'manual',
    });
    await h.call('tms', 'POST', '/shipments', shipment);
    expect((await h.call('tms', 'GET', '/shipments/SHP-000001')).body).toMatchObject({
      status: 'TENDERED',
    });
    await h.call('tms', 'POST', '/_control/simulate/tender-response', {
      shipment_id: 'SHP-000001',
      accept: false,
      reason_code: 'EQP',
    });
    expect((await h.call('tms', 'GET', '/shipments/SHP-000001')).body).toMatchObject({
      status: 'PLANNED',
      tenders: [{ reason_code: 'EQP' }],
    });
    await h.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: 'EXFL',
      tender_response: 'reject',
    });
    await h.call('tms', 'POST', '/_control/simulate/carrier-behaviour', {
      carrier_scac: 'RDWY',
      tender_response: 'reject',
    });
    await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    const none = await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    expect(none.body).toMatchObject({ error_code: 'NO_CARRIER' });
  });

  it('takes late weights, milestones and freight audits', async () => {
    await h.call('tms', 'POST', '/shipments', { ...shipment, packages: [], auto_tender: false });
    const patched = await h.call('tms', 'PATCH', '/shipments/SHP-000001', {
      packages: [{ weight_kg: 5 }, { weight_kg: 7.5 }],
    });
    expect(patched.body).toMatchObject({ gross_weight_kg: 12.5, status: 'PLANNED' });
    await h.call('tms', 'POST', '/shipments/SHP-000001/tenders', {});
    const dlv = await h.call('tms', 'POST', '/shipments/SHP-000001/milestones', {
      code: 'DLV',
      occurred_at: '2026-12-03T10:00:00Z',
    });
    expect(dlv.body).toMatchObject({ status: 'DELIVERED' });
    expect(
      (
        await h.call('tms', 'POST', '/shipments/SHP-000001/milestones', {
          code: 'D1',
          occurred_at: 'x',
        })
      ).status,
    ).toBe(422);
    const audit = await h.call('tms', 'POST', '/shipments/SHP-000001/freight-audits', {
      invoice_number: 'INV1',
      billed_cents: 9_500,
    });
    // planned: SAIA 8500 + 42 x 12.5 = 9025
    expect(audit.body).toMatchObject({ variance_cents: 475, status: 'APPROVED' });
    expect((await h.call('tms', 'PATCH', '/shipments/SHP-000001', { packages: [] })).status).toBe(
      409,
    );
  });
});
