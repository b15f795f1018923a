import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVICE_LEVELS, UNIT_CODES, type UnitCode } from '../canonical/codes';
import { gs1CheckDigit } from '../canonical/gs1';
import { MILESTONE_STATUSES } from '../canonical/milestones';
import type { CarrierMilestone, Party, SalesOrder } from '../canonical/types';
import { validateCanonical } from '../canonical/validate';
import { UNIT_MAP } from './code-maps';
import { parseX12 } from './parse';
import { generateX12 } from './write';

const env = {
  senderId: 'A',
  receiverId: 'B',
  controlNumber: 1,
  date: new Date('2026-11-27T00:00:00Z'),
};

// Text as partners send it: no delimiters, no surrounding spaces (X12 elements are trimmed).
const text = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9 ,.'&#/()-]{0,28}[A-Za-z0-9])?$/);
const code = fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,19}$/);
const country = fc.constantFrom('US', 'CA', 'MX', 'DE', 'NL');
const gtin = fc.stringMatching(/^\d{12}$/).map((d) => `${d}${gs1CheckDigit(d)}`);
const date = fc
  .date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const units = UNIT_CODES.filter((u): u is UnitCode => UNIT_MAP.toX12[u] !== undefined);

const address = fc.record(
  {
    lines: fc.array(text, { minLength: 1, maxLength: 3 }),
    city: text,
    region: fc.stringMatching(/^[A-Z]{2}$/),
    postalCode: fc.stringMatching(/^[0-9]{5}$/),
    country,
  },
  { requiredKeys: ['lines', 'city', 'country'] },
);
const party = fc.record(
  {
    name: text,
    id: code,
    gln: gtin,
    unLocode: fc.stringMatching(/^[A-Z]{2}[A-Z2-9]{3}$/),
    address,
  },
  { requiredKeys: ['name'] },
);

const salesOrder: fc.Arbitrary<SalesOrder> = fc
  .record(
    {
      orderNumber: code,
      orderDate: date,
      requestedDate: date,
      customer: party,
      shipTo: party.chain((p: Party) => address.map((a) => ({ ...p, address: a }))),
      billTo: party,
      serviceLevel: fc.constantFrom(...SERVICE_LEVELS),
      carrier: fc.record(
        { scac: fc.stringMatching(/^[A-Z]{2,4}$/), name: text },
        { requiredKeys: ['scac'] },
      ),
      currency: fc.constantFrom('USD', 'EUR', 'CAD'),
      lines: fc.array(
        fc
          .record(
            {
              lineNumber: code,
              sku: code,
              gtin,
              description: text,
              quantity: fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 100),
              unit: fc.constantFrom(...units),
              unitPrice: fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100),
              vendorItem: code,
            },
            { requiredKeys: ['lineNumber', 'sku', 'quantity', 'unit'] },
          )
          .map(({ vendorItem, ...line }) =>
            // A partner's other ids travel as productIds; sku and gtin stay the ones they name.
            vendorItem === undefined
              ? line
              : {
                  ...line,
                  productIds: [
                    { qualifier: 'SK', value: line.sku },
                    { qualifier: 'VN', value: vendorItem },
                    ...(line.gtin ? [{ qualifier: 'UK', value: line.gtin }] : []),
                  ],
                },
          ),
        { minLength: 1, maxLength: 5 },
      ),
    },
    { requiredKeys: ['orderNumber', 'orderDate', 'requestedDate', 'customer', 'shipTo', 'lines'] },
  )
  .map((o) => o as SalesOrder);

const milestones: fc.Arbitrary<CarrierMilestone[]> = fc
  .tuple(code, fc.stringMatching(/^[A-Z]{2,4}$/), fc.option(code, { nil: undefined }))
  .chain(([shipmentId, scac, pro]) =>
    fc.array(
      fc
        .record(
          {
            status: fc.constantFrom(...MILESTONE_STATUSES),
            occurredAt: fc
              .integer({ min: Date.UTC(2020, 0, 1) / 60000, max: Date.UTC(2030, 0, 1) / 60000 })
              .map((m) => new Date(m * 60000).toISOString().replace('.000Z', 'Z')),
            reasonCode: fc.constantFrom('NS', 'AO', 'AG'),
            location: fc.record(
              { city: text, region: fc.stringMatching(/^[A-Z]{2}$/), country },
              { requiredKeys: ['city', 'country'] },
            ),
            stopNumber: fc.integer({ min: 1, max: 20 }),
            weight: fc.record({
              value: fc.integer({ min: 1, max: 4_000_000 }).map((n) => n / 100),
              unit: fc.constantFrom('LBR' as const, 'KGM' as const),
            }),
            pieces: fc.integer({ min: 0, max: 999 }),
            references: fc.array(
              fc.record({ qualifier: fc.constantFrom('PO', 'CR', 'SI'), value: code }),
              { minLength: 1, maxLength: 3 },
            ),
          },
          { requiredKeys: ['status', 'occurredAt', 'reasonCode'] },
        )
        .map(
          (m) =>
            ({
              shipmentId,
              carrier: { scac },
              ...(pro ? { proNumber: pro } : {}),
              ...m,
            }) as CarrierMilestone,
        ),
      { minLength: 1, maxLength: 6 },
    ),
  );

describe('round trip over generated objects', () => {
  it('any valid SalesOrder survives 850 and back', () => {
    fc.assert(
      fc.property(salesOrder, (order) => {
        expect(validateCanonical('SalesOrder', order)).toEqual([]);
        const result = parseX12(generateX12([{ set: '850', value: order }], env));
        expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(result.documents[0]?.value).toEqual(order);
      }),
      { numRuns: 150 },
    );
  });

  it('any list of milestones of one shipment survives 214 and back', () => {
    fc.assert(
      fc.property(milestones, (list) => {
        const result = parseX12(generateX12([{ set: '214', value: list }], env));
        expect(result.ok).toBe(true);
        const doc = result.documents[0];
        const back = doc?.set === '214' ? doc.value : [];
        // The status code written for a status reads back as that status.
        expect(back.map(({ statusCode: _code, ...m }) => m)).toEqual(list);
      }),
      { numRuns: 150 },
    );
  });
});
