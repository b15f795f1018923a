/**
 * The sales order the order-flow bench posts: about 1 KB of JSON with 5 lines, numbered so the
 * stub can tell which order reached it. The same body goes to Crossdock and to Node-RED.
 */
export function salesOrder(n: number): { order: Record<string, unknown> } {
  const lines = Array.from({ length: 5 }, (_, i) => ({
    lineNumber: i + 1,
    sku: `SKU-${(n * 7 + i * 13) % 9000}`,
    gtin: `0400638133${String(390 + i).padStart(4, '0')}`,
    description: `Carton item ${i + 1}`,
    quantity: 1 + ((n + i) % 9),
    unit: 'EA',
    unitPrice: 4.5 + i * 3.25,
    weightKg: 0.4 + i * 0.15,
  }));
  return {
    order: {
      number: `SO-${n}`,
      revision: 1,
      status: 'RELEASED',
      orderDate: '2026-12-04T09:30:00Z',
      currency: 'EUR',
      serviceLevel: n % 3 === 0 ? 'EXPRESS' : 'STANDARD',
      customer: { id: 'C-1042', name: 'Harbor Outfitters GmbH' },
      shipFrom: n % 2 === 0 ? 'dc-east' : 'dc-west',
      shipTo: {
        name: 'Harbor Outfitters Hamburg',
        street: 'Grosse Elbstrasse 145',
        city: 'Hamburg',
        postalCode: '22767',
        countryCode: 'DE',
      },
      lines,
    },
  };
}

/** The order number a TMS shipment of the flow refers to. */
export const orderNumberOf = (shipment: unknown): string | undefined => {
  const ref = (shipment as { reference?: unknown } | null)?.reference;
  return typeof ref === 'string' ? ref : undefined;
};
