import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, UNIT_CODES } from './codes';
import { canonicalExamples } from './examples';
import { shippedFulfillmentOrderExample } from './examples/orders';
import { gs1CheckDigit, hasValidGs1CheckDigit, isGln, isGtin, isSscc } from './gs1';
import {
  MILESTONE_STATUSES,
  milestoneStatusOf,
  X12_214_STATUS_CODES,
  x12CodeOf,
} from './milestones';
import { CANONICAL_TYPES, canonicalSchemas } from './schemas';
import { isCanonical, isCanonicalType, validateCanonical } from './validate';

describe('GS1 identifiers', () => {
  it('accepts published examples and rejects a wrong check digit', () => {
    expect(isGtin('4006381333931')).toBe(true);
    expect(isGtin('4006381333932')).toBe(false);
    expect(isGtin('10614141000002')).toBe(true);
    expect(isGtin('12345')).toBe(false);
    expect(isSscc('006141411234567890')).toBe(true);
    expect(isSscc('006141411234567891')).toBe(false);
    expect(isSscc('06141411234567890')).toBe(false);
    expect(isGln('0614141000005')).toBe(true);
    expect(isGln('0614141000006')).toBe(false);
    expect(hasValidGs1CheckDigit('12a4')).toBe(false);
  });

  it('computes a check digit that validates, for any data digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (data) => {
        const full = `${data}${gs1CheckDigit(data)}`;
        expect(isSscc(full)).toBe(true);
        const wrong = `${data}${(gs1CheckDigit(data) + 1) % 10}`;
        expect(isSscc(wrong)).toBe(false);
      }),
    );
  });
});

describe('X12 214 status codes', () => {
  it('maps every canonical status from at least one code, each code once', () => {
    const codes = X12_214_STATUS_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const status of MILESTONE_STATUSES) {
      expect(milestoneStatusOf(x12CodeOf(status))).toBe(status);
    }
  });

  it('maps the common codes as the table documents', () => {
    expect(milestoneStatusOf('AF')).toBe('departed');
    expect(milestoneStatusOf('X3')).toBe('arrived-at-pickup');
    expect(milestoneStatusOf('X1')).toBe('arrived');
    expect(milestoneStatusOf('D1')).toBe('delivered');
    expect(milestoneStatusOf('AG')).toBe('eta-updated');
    expect(milestoneStatusOf('X6')).toBe('in-transit');
    expect(milestoneStatusOf('SD')).toBe('delayed');
    expect(milestoneStatusOf('A9')).toBe('exception');
    expect(milestoneStatusOf('ZZ')).toBeUndefined();
  });
});

describe('canonical schemas', () => {
  it.each(CANONICAL_TYPES)('%s: the example is valid', (type) => {
    expect(validateCanonical(type, canonicalExamples[type])).toEqual([]);
    expect(isCanonical(type, canonicalExamples[type])).toBe(true);
  });

  it('the shipped fulfillment order (945) is valid', () => {
    expect(validateCanonical('FulfillmentOrder', shippedFulfillmentOrderExample)).toEqual([]);
  });

  it.each(CANONICAL_TYPES)('%s: declares draft 2020-12 and a title', (type) => {
    expect(canonicalSchemas[type].$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(canonicalSchemas[type].title).toBe(type);
  });

  it('knows its type names', () => {
    expect(isCanonicalType('Shipment')).toBe(true);
    expect(isCanonicalType('constructor')).toBe(false);
  });

  it('rejects a GTIN with a bad check digit, naming the field', () => {
    const order = structuredClone(canonicalExamples.SalesOrder);
    const line = order.lines[0];
    if (line) line.gtin = '4006381333932';
    expect(validateCanonical('SalesOrder', order)).toEqual([
      {
        pointer: ['lines', 0, 'gtin'],
        keyword: 'format',
        message: 'Must be a valid GTIN (digits with a correct check digit).',
      },
    ]);
  });

  it('rejects an unknown unit of measure', () => {
    const item = { ...canonicalExamples.Item, unit: 'BOXES' };
    const problems = validateCanonical('Item', item);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ pointer: ['unit'], keyword: 'enum' });
  });

  it('rejects an unknown currency', () => {
    const invoice = { ...canonicalExamples.FreightInvoice, currency: 'USX' };
    expect(validateCanonical('FreightInvoice', invoice)).toEqual([
      expect.objectContaining({ pointer: ['currency'], keyword: 'enum' }),
    ]);
    const shipment = structuredClone(canonicalExamples.Shipment);
    const cost = shipment.plannedFreightCost;
    if (cost) cost.currency = 'usd';
    expect(validateCanonical('Shipment', shipment)).toEqual([
      expect.objectContaining({ pointer: ['plannedFreightCost', 'currency'] }),
    ]);
  });

  it('rejects a bad SSCC, GLN and UN/LOCODE', () => {
    const asn = structuredClone(canonicalExamples.AdvanceShipNotice);
    const pkg = asn.orders[0]?.packages[0];
    if (pkg) pkg.sscc = '006141411234567891';
    asn.shipFrom.gln = '0614141000006';
    asn.shipTo.unLocode = 'US-CHI';
    const pointers = validateCanonical('AdvanceShipNotice', asn).map((p) => p.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        ['orders', 0, 'packages', 0, 'sscc'],
        ['shipFrom', 'gln'],
        ['shipTo', 'unLocode'],
      ]),
    );
  });

  it('rejects missing required fields and unknown fields', () => {
    const { requestedDate: _dropped, ...order } = canonicalExamples.SalesOrder;
    expect(validateCanonical('SalesOrder', { ...order, color: 'red' })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: ['requestedDate'], keyword: 'required' }),
        expect.objectContaining({ pointer: ['color'], keyword: 'additionalProperties' }),
      ]),
    );
  });

  it('rejects a milestone status outside the canonical list and a zone-less time', () => {
    const milestone = {
      ...canonicalExamples.CarrierMilestone,
      status: 'teleported',
      occurredAt: '2026-11-28 15:42',
    };
    const keywords = validateCanonical('CarrierMilestone', milestone).map((p) => p.pointer[0]);
    expect(keywords).toEqual(expect.arrayContaining(['status', 'occurredAt']));
  });

  it('lists real code sets', () => {
    expect(UNIT_CODES).toContain('KGM');
    expect(CURRENCY_CODES).toEqual(expect.arrayContaining(['USD', 'EUR', 'JPY', 'MXN']));
    expect(CURRENCY_CODES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
  });
});
