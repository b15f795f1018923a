import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalExamples, shippedFulfillmentOrderExample } from '../canonical/examples';
import { type EdiDocument, parseX12 } from './parse';
import { sample, sampleNames } from './samples';
import { type EnvelopeSettings, generateX12, type OutgoingDocument } from './write';

const env: EnvelopeSettings = {
  senderId: 'CROSSDOCK',
  receiverId: 'PARTNER',
  controlNumber: 42,
  date: new Date('2026-11-27T10:00:00Z'),
};

const outgoing = (docs: EdiDocument[]) =>
  docs.map((d) => ({ set: d.set, value: d.value }) as OutgoingDocument);

function parseOk(text: string) {
  const result = parseX12(text);
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  return result;
}

describe('parseX12 on real-shaped samples', () => {
  it('850: a purchase order with N1 loops, optional segments and product id pairs', () => {
    const [doc] = parseOk(sample('850-purchase-order.x12')).documents;
    expect(doc?.set).toBe('850');
    expect(doc?.type).toBe('SalesOrder');
    expect(doc?.value).toMatchObject({
      orderNumber: 'PO-4500012345',
      orderDate: '2026-11-20',
      requestedDate: '2026-12-01',
      customer: { name: 'Northwind Retail', id: 'NWR001' },
      shipTo: {
        name: 'Northwind Store 0042',
        gln: '5901234123457',
        id: 'ST0042',
        address: { lines: ['120 Market St'], city: 'Chicago', region: 'IL', country: 'US' },
      },
      billTo: { name: 'Northwind Retail AP' },
      serviceLevel: 'standard',
      carrier: { scac: 'EXFL', name: 'Example Freight Lines' },
      currency: 'USD',
      lines: [
        {
          lineNumber: '1',
          sku: 'SKU-10001',
          gtin: '4006381333931',
          quantity: 48,
          unit: 'EA',
          unitPrice: 3.25,
          description: 'Graphite pencils, 12-pack',
        },
        { lineNumber: '2', sku: 'SKU-20417', gtin: '10614141000002', quantity: 10, unit: 'XCS' },
        { lineNumber: '3', sku: 'SKU-30991', quantity: 6, unit: 'PR' },
      ],
    });
  });

  it('856: the shipment/order/pack/item hierarchy with | ^ : delimiters and no line breaks', () => {
    const [doc] = parseOk(sample('856-ship-notice.x12')).documents;
    expect(doc?.value).toMatchObject({
      asnNumber: 'ASN-0000981',
      shipDate: '2026-11-28',
      shipFrom: { gln: '0614141000005', id: 'DC-DAL', unLocode: 'USDAL' },
      carrier: { scac: 'EXFL' },
      billOfLading: 'BOL-99120034',
      trackingNumber: 'PRO-5520019',
      totalWeight: { value: 412.5, unit: 'LBR' },
      orders: [
        {
          orderNumber: 'PO-4500012345',
          packages: [
            {
              sscc: '006141411234567890',
              weight: { value: 210, unit: 'LBR' },
              items: [
                {
                  lineNumber: '1',
                  sku: 'SKU-10001',
                  gtin: '4006381333931',
                  quantity: 48,
                  unit: 'EA',
                },
                { lineNumber: '2', sku: 'SKU-20417', lot: 'L2611A', quantity: 4, unit: 'XCS' },
              ],
            },
            { sscc: '006141411234567906', items: [{ sku: 'SKU-20417', quantity: 5 }] },
          ],
        },
      ],
    });
  });

  it('940 and 945: release to the warehouse and its shipment confirmation', () => {
    const [order] = parseOk(sample('940-shipping-order.x12')).documents;
    expect(order?.value).toMatchObject({
      fulfillmentOrderNumber: 'FO-778812',
      salesOrderNumber: 'PO-4500012345',
      status: 'released',
      warehouse: { id: 'DC-DAL' },
      shipTo: { address: { lines: ['120 Market St', 'Receiving door 3'] } },
      requestedShipDate: '2026-11-28',
      serviceLevel: 'standard',
      carrier: { scac: 'EXFL' },
      lines: [
        {
          lineNumber: '1',
          sku: 'SKU-10001',
          quantity: 48,
          unit: 'EA',
          description: 'Graphite pencils, 12-pack',
        },
        { lineNumber: '2', sku: 'SKU-20417', quantity: 10, unit: 'XCS' },
      ],
    });
    const [advice] = parseOk(sample('945-shipping-advice.x12')).documents;
    expect(advice?.value).toMatchObject({
      status: 'shipped',
      lines: [{ shippedQuantity: 48 }, { shippedQuantity: 9, quantity: 10 }],
      shipment: {
        shipDate: '2026-11-28',
        billOfLading: 'BOL-99120034',
        trackingNumber: 'PRO-5520019',
        packageCount: 2,
        weight: { value: 412.5, unit: 'LBR' },
      },
    });
  });

  it('204 and 990: a load tender with stops and windows, and the carrier answers', () => {
    const [tender] = parseOk(sample('204-load-tender.x12')).documents;
    expect(tender?.value).toMatchObject({
      shipmentId: 'SHP-2026-0042',
      billOfLading: 'BOL-99120034',
      mode: 'ltl',
      serviceLevel: 'standard',
      carrier: { scac: 'EXFL' },
      origin: {
        party: { id: 'DC-DAL' },
        earliest: '2026-11-28T13:00:00Z',
        latest: '2026-11-28T17:00:00Z',
      },
      destination: { party: { id: 'ST0042' }, latest: '2026-12-01T20:00:00Z' },
      packages: [
        {
          sscc: '006141411234567890',
          quantity: 1,
          unit: 'XPX',
          weight: { value: 210, unit: 'LBR' },
          description: 'Office supplies',
        },
        { sscc: '006141411234567906', weight: { value: 202.5 } },
      ],
      totalWeight: { value: 412.5, unit: 'LBR' },
      totalCube: { value: 96, unit: 'FTQ' },
      plannedFreightCost: { amount: 486.2, currency: 'USD' },
      orderNumbers: ['PO-4500012345'],
    });
    const responses = parseOk(sample('990-tender-response.x12')).documents.map((d) => d.value);
    expect(responses).toEqual([
      {
        shipmentId: 'SHP-2026-0042',
        carrier: { scac: 'EXFL' },
        decision: 'accepted',
        respondedOn: '2026-11-27',
      },
      {
        shipmentId: 'SHP-2026-0043',
        carrier: { scac: 'EXFL' },
        decision: 'declined',
        respondedOn: '2026-11-27',
        reason: 'No capacity on lane DAL-CHI for requested date',
      },
    ]);
  });

  it('214 and 210 in one interchange: several LX loops, time zones, N2 amounts', () => {
    const result = parseOk(sample('214-status-and-210-invoice.x12'));
    expect(
      result.documents.map((d) => `${d.set}/${d.groupControlNumber}/${d.controlNumber}`),
    ).toEqual(['214/21401/0001', '214/21401/0002', '210/21001/0001']);
    const first = result.documents[0];
    const milestones = first?.set === '214' ? first.value : [];
    expect(milestones.map((m) => [m.statusCode, m.status, m.occurredAt])).toEqual([
      ['X3', 'arrived-at-pickup', '2026-11-28T14:05:00Z'],
      ['AF', 'departed', '2026-11-28T15:42:00Z'],
      ['X6', 'in-transit', '2026-11-30T12:15:00Z'],
      ['SD', 'delayed', '2026-11-30T17:30:00Z'],
    ]);
    expect(milestones[3]).toMatchObject({
      reasonCode: 'AO',
      location: { city: 'Springfield', region: 'IL' },
    });
    expect(result.documents[2]?.value).toMatchObject({
      invoiceNumber: 'INV-EXFL-8812001',
      totalAmount: 512.7,
      charges: [
        { lineNumber: 1, amount: 455.3, chargeCode: '400', weight: { value: 412.5, unit: 'LBR' } },
        { lineNumber: 2, amount: 42.4, chargeCode: 'FUE', description: 'Fuel surcharge' },
        { lineNumber: 3, amount: 15, chargeCode: 'LFT' },
      ],
    });
  });

  it('997: a received functional acknowledgment', () => {
    const [doc] = parseOk(sample('997-acknowledgment.x12')).documents;
    expect(doc?.value).toEqual({
      functionalId: 'SH',
      groupControlNumber: '880021',
      status: 'P',
      setsIncluded: 2,
      setsReceived: 2,
      setsAccepted: 1,
      errorCodes: [],
      sets: [
        { set: '856', controlNumber: '0001', status: 'A', errorCodes: [], segmentErrors: [] },
        {
          set: '856',
          controlNumber: '0002',
          status: 'R',
          errorCodes: ['5'],
          segmentErrors: [{ segmentId: 'TD1', position: 7, code: '8' }],
        },
      ],
    });
  });
});

describe('an unknown unit of measure', () => {
  it('is read as EA with a warning that names the raw code and says so', () => {
    const text = readFileSync(
      fileURLToPath(new URL('./fixtures/850-unknown-unit-code.x12', import.meta.url)),
      'utf8',
    );
    const result = parseX12(text);
    expect(result.documents[0]?.warnings).toEqual([
      expect.objectContaining({
        code: 'unknown-code',
        element: 'PO103',
        message: expect.stringMatching(/"RL" is not a code Crossdock maps; it is read as EA/),
      }),
    ]);
  });
});

describe('round trip: parse, generate, parse again', () => {
  it.each(sampleNames())('%s', (name) => {
    const first = parseOk(sample(name));
    for (const [delimiters, lineBreaks] of [
      [{}, false],
      [{ element: '|', component: ':', segment: '~' }, true],
    ] as const) {
      const text = generateX12(outgoing(first.documents), { ...env, delimiters, lineBreaks });
      const second = parseOk(text);
      expect(second.documents.map((d) => [d.set, d.value])).toEqual(
        first.documents.map((d) => [d.set, d.value]),
      );
    }
  });

  it('canonical examples generate and read back unchanged', () => {
    const { location: _unLocodeIsNotCarriedBy214, ...milestone } =
      canonicalExamples.CarrierMilestone;
    const docs: OutgoingDocument[] = [
      { set: '850', value: canonicalExamples.SalesOrder },
      { set: '940', value: canonicalExamples.FulfillmentOrder },
      { set: '945', value: shippedFulfillmentOrderExample },
      { set: '856', value: canonicalExamples.AdvanceShipNotice },
      { set: '204', value: canonicalExamples.Shipment },
      { set: '990', value: canonicalExamples.TenderResponse },
      { set: '214', value: [milestone] },
      { set: '210', value: canonicalExamples.FreightInvoice },
    ];
    const result = parseOk(generateX12(docs, env));
    const byValue = result.documents.map((d) => d.value);
    // The 945 does not repeat what the 940 said (requested ship date, service level, descriptions).
    const { requestedShipDate: _r, serviceLevel: _s, ...shipped } = shippedFulfillmentOrderExample;
    // 204 and 210 identify the carrier by SCAC only (B2-02, B3-11).
    const scacOnly = { carrier: { scac: 'EXFL' } };
    const expected = [
      canonicalExamples.SalesOrder,
      canonicalExamples.FulfillmentOrder,
      { ...shipped, carrier: { scac: 'EXFL' } },
      canonicalExamples.AdvanceShipNotice,
      { ...canonicalExamples.Shipment, ...scacOnly },
      canonicalExamples.TenderResponse,
      [milestone],
      { ...canonicalExamples.FreightInvoice, ...scacOnly },
    ];
    // One group per functional id, in the order they first appear.
    expect(result.documents.map((d) => d.set)).toEqual([
      '850',
      '940',
      '945',
      '856',
      '204',
      '990',
      '214',
      '210',
    ]);
    expect(byValue).toEqual(expected);
  });
});
