import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeProblems, segmentsOf } from '../testing/x12-check';
import { freightInvoice210, shipNotice856, statusMessage214 } from './documents';
import { buildInterchange, type TransactionSet } from './envelope';

const at = new Date('2026-12-03T14:05:00Z');
const party = {
  name: 'Sandbox DC East',
  city: 'Newark',
  state: 'NJ',
  postalCode: '07102',
  country: 'US',
};

function envelope(tx: TransactionSet, functionalId: string): string {
  return buildInterchange({
    senderId: 'SANDBOXCARRIER',
    receiverId: 'CROSSDOCK',
    interchangeControl: 42,
    groupControl: 7,
    functionalId,
    at,
    transactions: [tx],
  });
}

describe('X12 writer', () => {
  it('writes a 214 with a valid envelope', () => {
    const x12 = envelope(
      statusMessage214({
        proNumber: 'PRO0000001',
        shipmentRef: 'SHP-000001',
        scac: 'SAIA',
        orderRef: '0000100045',
        shipper: party,
        consignee: { name: 'Nordwind', city: 'Hamburg', country: 'DE' },
        statusCode: 'D1',
        reasonCode: 'NS',
        at,
        location: { city: 'Hamburg', country: 'DE' },
        weightLbs: 50,
        pieces: 2,
      }),
      'QM',
    );
    expect(envelopeProblems(x12)).toEqual([]);
    const segs = segmentsOf(x12);
    expect(segs[0]?.[13]).toBe('000000042');
    expect(segs[1]).toEqual([
      'GS',
      'QM',
      'SANDBOXCARRIER',
      'CROSSDOCK',
      '20261203',
      '1405',
      '7',
      'X',
      '004010',
    ]);
    expect(segs.find((s) => s[0] === 'AT7')).toEqual([
      'AT7',
      'D1',
      'NS',
      '',
      '',
      '20261203',
      '1405',
      'UT',
    ]);
    expect(segs.find((s) => s[0] === 'B10')).toEqual(['B10', 'PRO0000001', 'SHP-000001', 'SAIA']);
  });

  it('writes a 210 whose total is the sum of the charges in implied cents', () => {
    const x12 = envelope(
      freightInvoice210({
        invoiceNumber: 'INV0000001',
        proNumber: 'PRO0000001',
        shipmentRef: 'SHP-000001',
        scac: 'SAIA',
        invoiceDate: at,
        deliveryDate: at,
        currency: 'USD',
        shipper: party,
        consignee: party,
        weightLbs: 50,
        pieces: 2,
        charges: [
          { description: 'LINEHAUL', cents: 9_000 },
          { description: 'FUEL SURCHARGE', specialChargeCode: 'FUE', cents: 1_275 },
        ],
      }),
      'IM',
    );
    expect(envelopeProblems(x12)).toEqual([]);
    const segs = segmentsOf(x12);
    const b3 = segs.find((s) => s[0] === 'B3') ?? [];
    expect([b3[2], b3[3], b3[7], b3[9], b3[10], b3[11]]).toEqual([
      'INV0000001',
      'SHP-000001',
      '10275',
      '20261203',
      '035',
      'SAIA',
    ]);
    expect(segs.filter((s) => s[0] === 'L1').map((s) => [s[4], s[8]])).toEqual([
      ['9000', ''],
      ['1275', 'FUE'],
    ]);
    expect(segs.find((s) => s[0] === 'L3')?.[5]).toBe('10275');
  });

  it('writes an 856 with a consistent HL hierarchy', () => {
    const x12 = envelope(
      shipNotice856({
        asnNumber: 'ASN0000001',
        poNumber: '4500000001',
        at,
        shipDate: at,
        scac: 'SAIA',
        billOfLading: 'BOL1',
        shipFrom: { name: 'Supplier', code: 'V-100' },
        shipTo: { name: 'DC East', code: 'DC-EAST' },
        weightLbs: 40,
        cartons: [
          {
            sscc: '006141410000000017',
            items: [{ sku: 'M-1', gtin: '04006381333931', quantity: 10, uom: 'EA' }],
          },
          { sscc: '006141410000000024', items: [{ sku: 'M-2', quantity: 5, uom: 'EA' }] },
        ],
      }),
      'SH',
    );
    expect(envelopeProblems(x12)).toEqual([]);
    const hls = segmentsOf(x12).filter((s) => s[0] === 'HL');
    expect(hls.map((s) => `${s[1]}/${s[2]}/${s[3]}`)).toEqual([
      '1//S',
      '2/1/O',
      '3/2/P',
      '4/3/I',
      '5/2/P',
      '6/5/I',
    ]);
    expect(segmentsOf(x12).find((s) => s[0] === 'CTT')).toEqual(['CTT', '6']);
  });

  it('keeps the envelope valid whatever text the values carry', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, city) => {
        const x12 = envelope(
          statusMessage214({
            proNumber: 'P',
            shipmentRef: 'S',
            scac: 'SAIA',
            shipper: { name, city },
            consignee: { name: city, city: name },
            statusCode: 'AF',
            reasonCode: 'NS',
            at,
            location: { city, country: 'US' },
            weightLbs: 1,
            pieces: 1,
          }),
          'QM',
        );
        expect(envelopeProblems(x12)).toEqual([]);
      }),
    );
  });
});
