import type {
  AdvanceShipNotice,
  CarrierMilestone,
  FreightInvoice,
  ProofOfDelivery,
  Shipment,
  TenderResponse,
} from '../types';

const origin = {
  name: 'Crossdock DC Dallas',
  id: 'DC-DAL',
  address: {
    lines: ['4800 Logistics Pkwy'],
    city: 'Dallas',
    region: 'TX',
    postalCode: '75241',
    country: 'US',
  },
};

const destination = {
  name: 'Northwind Store 0042',
  id: 'ST0042',
  address: {
    lines: ['120 Market St'],
    city: 'Chicago',
    region: 'IL',
    postalCode: '60606',
    country: 'US',
  },
};

export const advanceShipNoticeExample: AdvanceShipNotice = {
  asnNumber: 'ASN-0000981',
  shipDate: '2026-11-28',
  shipFrom: { ...origin, gln: '0614141000005' },
  shipTo: { ...destination, gln: '5901234123457' },
  carrier: { scac: 'EXFL' },
  billOfLading: 'BOL-99120034',
  totalWeight: { value: 412.5, unit: 'LBR' },
  orders: [
    {
      orderNumber: 'PO-4500012345',
      packages: [
        {
          sscc: '006141411234567890',
          weight: { value: 210, unit: 'LBR' },
          items: [
            { lineNumber: '1', sku: 'SKU-10001', gtin: '4006381333931', quantity: 48, unit: 'EA' },
            { lineNumber: '2', sku: 'SKU-20417', quantity: 4, unit: 'XCS', lot: 'L2611A' },
          ],
        },
        {
          sscc: '006141411234567906',
          weight: { value: 202.5, unit: 'LBR' },
          items: [{ lineNumber: '2', sku: 'SKU-20417', quantity: 5, unit: 'XCS' }],
        },
      ],
    },
  ],
};

export const shipmentExample: Shipment = {
  shipmentId: 'SHP-2026-0042',
  billOfLading: 'BOL-99120034',
  mode: 'ltl',
  serviceLevel: 'standard',
  carrier: { scac: 'EXFL', name: 'Example Freight Lines' },
  origin: {
    party: origin,
    earliest: '2026-11-28T13:00:00Z',
    latest: '2026-11-28T17:00:00Z',
  },
  destination: {
    party: destination,
    earliest: '2026-12-01T14:00:00Z',
    latest: '2026-12-01T20:00:00Z',
  },
  packages: [
    {
      sscc: '006141411234567890',
      description: 'Office supplies',
      quantity: 1,
      unit: 'XPX',
      weight: { value: 210, unit: 'LBR' },
    },
    {
      sscc: '006141411234567906',
      description: 'Copy paper',
      quantity: 1,
      unit: 'XPX',
      weight: { value: 202.5, unit: 'LBR' },
    },
  ],
  totalWeight: { value: 412.5, unit: 'LBR' },
  totalCube: { value: 96, unit: 'FTQ' },
  plannedFreightCost: { amount: 486.2, currency: 'USD' },
  orderNumbers: ['PO-4500012345'],
};

export const tenderResponseExample: TenderResponse = {
  shipmentId: 'SHP-2026-0042',
  carrier: { scac: 'EXFL' },
  decision: 'accepted',
  respondedOn: '2026-11-27',
};

export const carrierMilestoneExample: CarrierMilestone = {
  shipmentId: 'SHP-2026-0042',
  carrier: { scac: 'EXFL' },
  billOfLading: 'BOL-99120034',
  proNumber: 'PRO-5520019',
  status: 'departed',
  statusCode: 'AF',
  reasonCode: 'NS',
  occurredAt: '2026-11-28T15:42:00Z',
  location: { city: 'Dallas', region: 'TX', country: 'US', unLocode: 'USDAL' },
  stopNumber: 1,
};

export const proofOfDeliveryExample: ProofOfDelivery = {
  shipmentId: 'SHP-2026-0042',
  deliveredAt: '2026-12-01T16:05:00Z',
  signedBy: 'J. MORALES',
  location: { city: 'Chicago', region: 'IL', country: 'US', unLocode: 'USCHI' },
  packagesDelivered: 2,
  exceptions: ['1 carton crushed corner, accepted'],
  documentRef: 'pod/SHP-2026-0042.pdf',
};

export const freightInvoiceExample: FreightInvoice = {
  invoiceNumber: 'INV-EXFL-8812001',
  invoiceDate: '2026-12-02',
  shipmentId: 'SHP-2026-0042',
  billOfLading: 'BOL-99120034',
  carrier: { scac: 'EXFL', name: 'Example Freight Lines' },
  currency: 'USD',
  totalAmount: 512.7,
  weight: { value: 412.5, unit: 'LBR' },
  origin,
  destination,
  charges: [
    {
      lineNumber: 1,
      description: 'Linehaul',
      chargeCode: '400',
      amount: 455.3,
      weight: { value: 412.5, unit: 'LBR' },
    },
    { lineNumber: 2, description: 'Fuel surcharge', chargeCode: 'FUE', amount: 42.4 },
    { lineNumber: 3, description: 'Liftgate delivery', chargeCode: 'LFT', amount: 15 },
  ],
};
