import { parseX12 } from '@crossdock/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../sandbox/src/testing/harness';

/**
 * The sandbox writes X12 as an independent trading partner would; Crossdock's own parser must
 * read every interchange it sends, with the same values.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function sent(path: string): Promise<string> {
  const [event] = await h.receiver.waitFor(path);
  return event?.body ?? '';
}

describe('sandbox X12 read by Crossdock', () => {
  it('214 status messages', async () => {
    await h.call('carrier', 'POST', '/_control/simulate/milestone', {
      Reference: 'SHP-000214',
      Scac: 'SAIA',
      StatusCode: 'D1',
      Format: 'x12',
      ShipTo: { Name: 'Nordwind Store 14', City: 'Hamburg', CountryCode: 'DE' },
    });
    const parsed = parseX12(await sent('carrier/edi-214'));
    expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parsed.documents[0]).toMatchObject({
      set: '214',
      value: [
        {
          shipmentId: 'SHP-000214',
          carrier: { scac: 'SAIA' },
          statusCode: 'D1',
          status: 'delivered',
          location: { city: 'Hamburg' },
        },
      ],
    });
  });

  it('210 freight invoices', async () => {
    await h.call('carrier', 'POST', '/_control/simulate/freight-invoice', {
      Reference: 'SHP-000210',
      Scac: 'EXFL',
      InvoiceNumber: 'EXFL-1',
      LinehaulCents: 14_500,
      FuelCents: 1_740,
      AccessorialCents: 7_500,
    });
    const parsed = parseX12(await sent('carrier/edi-210'));
    expect(parsed.ok).toBe(true);
    expect(parsed.documents[0]).toMatchObject({
      set: '210',
      value: {
        invoiceNumber: 'EXFL-1',
        shipmentId: 'SHP-000210',
        carrier: { scac: 'EXFL' },
        currency: 'USD',
        totalAmount: 237.4,
      },
    });
  });

  it('856 ship notices', async () => {
    const asn = await h.call('carrier', 'POST', '/_control/simulate/asn', {
      AsnNumber: 'ASN-856',
      PoNumber: '4500000856',
      ShipToCode: 'DC-EAST',
      Cartons: [
        { Items: [{ Sku: 'M-1', Quantity: 60 }] },
        { Items: [{ Sku: 'M-2', Quantity: 10, Uom: 'CS' }] },
      ],
    });
    const parsed = parseX12(await sent('supplier/edi-856'));
    expect(parsed.ok).toBe(true);
    const sscc = (asn.body as { Sscc: string[] }).Sscc;
    expect(parsed.documents[0]).toMatchObject({
      set: '856',
      value: {
        asnNumber: 'ASN-856',
        shipTo: { id: 'DC-EAST' },
        orders: [
          {
            orderNumber: '4500000856',
            packages: [
              { sscc: sscc[0], items: [{ sku: 'M-1', quantity: 60, unit: 'EA' }] },
              { sscc: sscc[1], items: [{ sku: 'M-2', quantity: 10, unit: 'XCS' }] },
            ],
          },
        ],
      },
    });
  });
});
