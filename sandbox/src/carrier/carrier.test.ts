import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { envelopeProblems, segmentsOf } from '../testing/x12-check';

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

describe('sandbox carrier', () => {
  it('books shipments without auth and answers tracking and rates in its own format', async () => {
    const booked = await h.call('carrier', 'POST', '/shipments', {
      Reference: 'SHP-000001',
      Scac: 'SAIA',
      WeightLbs: 50,
      Pieces: 2,
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toEqual({ TrackingNumber: '1Z0000000017', ProNumber: 'PRO0000001' });
    expect((await h.call('carrier', 'GET', '/tracking/1Z0000000017')).body).toEqual({
      TrackingNumber: '1Z0000000017',
      Status: 'BOOKED',
      Activity: [],
    });
    const rates = await h.call('carrier', 'POST', '/rates', { WeightLbs: 10 });
    expect(rates.body).toMatchObject({
      Rates: [
        { ServiceCode: 'GND', TotalCharges: { MonetaryValue: '17.00', CurrencyCode: 'USD' } },
        {},
        {},
      ],
    });
    expect((await h.call('carrier', 'GET', '/tracking/1Z999')).body).toMatchObject({
      Fault: { Code: 'NOT_FOUND' },
    });
  });

  it('sends milestones as JSON and as X12 214', async () => {
    await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'SHP-000001',
      Scac: 'SAIA',
      StatusCode: 'AF',
    });
    await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'SHP-000001',
      StatusCode: 'D1',
      Format: 'x12',
    });
    const [json] = await h.receiver.waitFor('carrier/milestone');
    expect(JSON.parse(json?.body ?? '')).toMatchObject({
      TrackingNumber: '1Z0000000017',
      Reference: 'SHP-000001',
      StatusCode: 'AF',
      Description: 'Picked up',
    });
    const [edi] = await h.receiver.waitFor('carrier/edi-214');
    expect(edi?.headers['content-type']).toBe('application/edi-x12');
    expect(envelopeProblems(edi?.body ?? '')).toEqual([]);
    expect(segmentsOf(edi?.body ?? '').find((s) => s[0] === 'AT7')?.[1]).toBe('D1');
    const bad = await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'SHP-000001',
      StatusCode: 'ZZ',
    });
    expect(bad.status).toBe(422);
  });

  it('has proof of delivery only once it arrives', async () => {
    await h.call('carrier', 'POST', '/shipments', { Reference: 'SHP-000001' });
    expect((await h.call('carrier', 'GET', '/pod/1Z0000000017')).body).toMatchObject({
      Fault: { Code: 'POD_PENDING' },
    });
    await h.call('carrier', 'POST', '/_control/simulate/pod', {
      TrackingNumber: '1Z0000000017',
      SignedBy: 'J. MEIER',
      DeliveredAt: '2026-12-03T10:00:00Z',
    });
    expect((await h.call('carrier', 'GET', '/pod/1Z0000000017')).body).toEqual({
      TrackingNumber: '1Z0000000017',
      SignedBy: 'J. MEIER',
      DeliveredAt: '2026-12-03T10:00:00Z',
    });
    await h.receiver.waitFor('carrier/pod');
  });

  it('sends freight invoices as X12 210 and supplier ASNs as X12 856', async () => {
    await h.call('carrier', 'POST', '/_control/simulate/freight-invoice', {
      Reference: 'SHP-000001',
      Scac: 'SAIA',
      LinehaulCents: 9_000,
      FuelCents: 1_275,
    });
    await h.call('carrier', 'POST', '/_control/simulate/asn', {
      PoNumber: '4500000001',
      Cartons: [
        { Items: [{ Sku: 'M-1', Quantity: 10 }] },
        { Items: [{ Sku: 'M-2', Quantity: 2, Uom: 'CS' }] },
      ],
    });
    const [invoice] = await h.receiver.waitFor('carrier/edi-210');
    expect(envelopeProblems(invoice?.body ?? '')).toEqual([]);
    expect(segmentsOf(invoice?.body ?? '').find((s) => s[0] === 'B3')?.[7]).toBe('10275');
    const [asn] = await h.receiver.waitFor('supplier/edi-856');
    expect(envelopeProblems(asn?.body ?? '')).toEqual([]);
    const segs = segmentsOf(asn?.body ?? '');
    expect(segs.find((s) => s[0] === 'PRF')).toEqual(['PRF', '4500000001']);
    expect(segs.filter((s) => s[0] === 'SN1').map((s) => s[3])).toEqual(['EA', 'CA']);
    expect(segs.find((s) => s[0] === 'MAN')?.[2]).toMatch(/^\d{18}$/);
    // Interchange control numbers increase per interchange.
    expect(segs[0]?.[13]).toBe('000000002');
  });
});
