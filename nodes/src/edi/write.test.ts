import { describe, expect, it } from 'vitest';
import { canonicalExamples } from '../canonical/examples';
import { parseX12 } from './parse';
import { type EnvelopeSettings, generateX12 } from './write';

const env: EnvelopeSettings = {
  senderId: 'CROSSDOCK',
  receiverId: 'PARTNER',
  controlNumber: 123,
  date: new Date('2026-11-27T08:05:00Z'),
};

describe('generateX12', () => {
  it('writes a fixed-width ISA and consistent counts and control numbers', () => {
    const text = generateX12(
      [
        { set: '990', value: canonicalExamples.TenderResponse },
        { set: '990', value: { ...canonicalExamples.TenderResponse, shipmentId: 'SHP-2' } },
      ],
      { ...env, usage: 'T', ackRequested: true },
    );
    const isa = text.slice(0, text.indexOf('~'));
    expect(isa).toHaveLength(105);
    expect(isa).toBe(
      'ISA*00*          *00*          *ZZ*CROSSDOCK      *ZZ*PARTNER        *261127*0805*U*00401*000000123*1*T*>',
    );
    expect(text).toContain('GS*GF*CROSSDOCK*PARTNER*20261127*0805*123*X*004010~');
    expect(text).toContain('ST*990*0001~B1*EXFL*SHP-2026-0042*20261127*A~SE*3*0001~');
    expect(text).toContain('ST*990*0002~');
    expect(text.endsWith('GE*2*123~IEA*1*000000123~')).toBe(true);
    expect(parseX12(text).ok).toBe(true);
  });

  it('writes 00501 with a repetition separator when asked', () => {
    const text = generateX12([{ set: '990', value: canonicalExamples.TenderResponse }], {
      ...env,
      version: '00501',
      delimiters: { element: '|', component: ':', segment: '~', repetition: '^' },
    });
    expect(text).toMatch(/\|\^\|00501\|000000123\|0\|P\|:~GS\|GF\|.*\|005010~/);
    expect(parseX12(text).interchange?.delimiters.repetition).toBe('^');
  });

  it('refuses a value that is not a valid canonical object, listing the problems', () => {
    const order = structuredClone(canonicalExamples.SalesOrder);
    const line = order.lines[0];
    if (line) line.gtin = '4006381333932';
    expect(() => generateX12([{ set: '850', value: order }], env)).toThrow(
      expect.objectContaining({
        name: 'PermanentError',
        code: 'invalid-input',
        message: expect.stringContaining('$.lines[0].gtin: Must be a valid GTIN'),
      }),
    );
  });

  it('refuses text containing a delimiter, naming the element', () => {
    const response = {
      ...canonicalExamples.TenderResponse,
      decision: 'declined' as const,
      reason: 'Full~see note',
    };
    expect(() => generateX12([{ set: '990', value: response }], env)).toThrow(
      /K101 "Full~see note" contains the delimiter "~"/,
    );
  });

  it('refuses a unit or weight unit with no X12 code', () => {
    const item = canonicalExamples.SalesOrder.lines[0];
    const order = {
      ...canonicalExamples.SalesOrder,
      lines: [{ ...item, sku: 'S', lineNumber: '1', quantity: 1, unit: 'TNE' as const }],
    };
    expect(() => generateX12([{ set: '850', value: order }], env)).toThrow(
      /Unit "TNE" has no X12 code/,
    );
  });

  it('refuses a 214 mixing shipments or with a status code that contradicts the status', () => {
    const m = canonicalExamples.CarrierMilestone;
    expect(() =>
      generateX12([{ set: '214', value: [m, { ...m, shipmentId: 'OTHER' }] }], env),
    ).toThrow(/One 214 reports one shipment/);
    expect(() =>
      generateX12([{ set: '214', value: [{ ...m, status: 'delivered' }] }], env),
    ).toThrow(/statusCode "AF" means departed, not delivered/);
    expect(() => generateX12([{ set: '214', value: [] }], env)).toThrow(/at least one milestone/);
  });

  it('refuses a 945 without a shipment, and bad envelope settings', () => {
    expect(() =>
      generateX12([{ set: '945', value: canonicalExamples.FulfillmentOrder }], env),
    ).toThrow(/has no "shipment"/);
    expect(() => generateX12([], env)).toThrow(/no documents/);
    const doc = [{ set: '990' as const, value: canonicalExamples.TenderResponse }];
    expect(() => generateX12(doc, { ...env, controlNumber: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-config' }),
    );
    expect(() => generateX12(doc, { ...env, senderId: 'A'.repeat(16) })).toThrow(
      /1 to 15 characters/,
    );
    expect(() => generateX12(doc, { ...env, delimiters: { element: '~' } })).toThrow(/distinct/);
  });
});

describe('mapping problems', () => {
  const tender = (body: string) =>
    generateX12([{ set: '990', value: canonicalExamples.TenderResponse }], env).replace(
      'B1*EXFL*SHP-2026-0042*20261127*A~',
      body,
    );

  it('names the element of a bad date and keeps the set out of the documents', () => {
    const result = parseX12(tender('B1*EXFL*SHP-2026-0042*20261131*A~'));
    expect(result.documents).toEqual([]);
    expect(result.problems[0]).toMatchObject({
      level: 'mapping',
      element: 'B103',
      message: 'B103 (date) "20261131" is not a date (CCYYMMDD) (segment 4, B1).',
    });
  });

  it('reports a missing beginning segment', () => {
    const result = parseX12(tender('K1*hello~'));
    expect(result.problems[0]?.message).toBe(
      'Transaction set 990 0001 has no B1 segment (beginning segment for booking or pick-up/delivery).',
    );
  });

  it('reports an unknown 214 status code and warns about a local time code', () => {
    const m = { ...canonicalExamples.CarrierMilestone };
    const text = generateX12([{ set: '214', value: [m] }], env);
    const unknown = parseX12(text.replace('AT7*AF*NS', 'AT7*ZZ*NS'));
    expect(unknown.problems[0]?.message).toMatch(
      /AT701 shipment status code "ZZ" is not in Crossdock's 214 status table/,
    );
    expect(unknown.documents[0]?.value).toMatchObject([{ status: 'unknown', statusCode: 'ZZ' }]);
    // LT in Dallas (MS1 says TX) is Central time; without a place it is taken as UTC with a warning.
    const local = parseX12(text.replace('*1542*UT~', '*0942*LT~'));
    expect(local.problems).toEqual([]);
    expect(local.documents[0]?.value).toMatchObject([{ occurredAt: '2026-11-28T15:42:00Z' }]);
    const nowhere = parseX12(
      text.replace('*1542*UT~', '*1542*LT~').replace('MS1*Dallas*TX*US~', 'MS1*Dallas~'),
    );
    expect(nowhere.ok).toBe(true);
    expect(nowhere.problems[0]).toMatchObject({
      severity: 'warning',
      element: 'AT707',
      code: 'local-time',
    });
  });

  it('converts US time codes to UTC', () => {
    const text = generateX12([{ set: '214', value: [canonicalExamples.CarrierMilestone] }], env);
    const result = parseX12(text.replace('*1542*UT~', '*0942*CS~'));
    const doc = result.documents[0];
    expect(doc?.set === '214' && doc.value[0]?.occurredAt).toBe('2026-11-28T15:42:00Z');
  });
});
