import type { FulfillmentOrder, InventoryAdjustment, Item, Location, SalesOrder } from '../types';

const dallasDc = {
  name: 'Crossdock DC Dallas',
  id: 'DC-DAL',
  gln: '0614141000005',
  unLocode: 'USDAL',
  address: {
    lines: ['4800 Logistics Pkwy', 'Dock 12'],
    city: 'Dallas',
    region: 'TX',
    postalCode: '75241',
    country: 'US',
  },
};

const storeShipTo = {
  name: 'Northwind Store 0042',
  id: 'ST0042',
  gln: '5901234123457',
  address: {
    lines: ['120 Market St'],
    city: 'Chicago',
    region: 'IL',
    postalCode: '60606',
    country: 'US',
  },
};

export const salesOrderExample: SalesOrder = {
  orderNumber: 'PO-4500012345',
  orderDate: '2026-11-20',
  requestedDate: '2026-12-01',
  customer: { name: 'Northwind Retail', id: 'NWR001' },
  shipTo: storeShipTo,
  billTo: {
    name: 'Northwind Retail AP',
    address: {
      lines: ['PO Box 880'],
      city: 'Chicago',
      region: 'IL',
      postalCode: '60601',
      country: 'US',
    },
  },
  serviceLevel: 'standard',
  carrier: { scac: 'EXFL', name: 'Example Freight Lines' },
  currency: 'USD',
  lines: [
    {
      lineNumber: '1',
      sku: 'SKU-10001',
      gtin: '4006381333931',
      description: 'Graphite pencils, 12-pack',
      quantity: 48,
      unit: 'EA',
      unitPrice: 3.25,
    },
    {
      lineNumber: '2',
      sku: 'SKU-20417',
      gtin: '10614141000002',
      description: 'Copy paper A4, case of 5 reams',
      quantity: 10,
      unit: 'XCS',
      unitPrice: 24.9,
    },
  ],
};

export const itemExample: Item = {
  sku: 'SKU-20417',
  gtin: '10614141000002',
  description: 'Copy paper A4, case of 5 reams',
  unit: 'XCS',
  weight: { value: 12.5, unit: 'KGM' },
  dimensions: { length: 43, width: 30, height: 22, unit: 'CMT' },
  hazardous: false,
  countryOfOrigin: 'FI',
};

export const locationExample: Location = {
  id: 'DC-DAL',
  name: 'Crossdock DC Dallas',
  type: 'warehouse',
  gln: '0614141000005',
  unLocode: 'USDAL',
  address: dallasDc.address,
  timeZone: 'America/Chicago',
};

export const fulfillmentOrderExample: FulfillmentOrder = {
  fulfillmentOrderNumber: 'FO-778812',
  salesOrderNumber: 'PO-4500012345',
  status: 'released',
  warehouse: dallasDc,
  shipTo: storeShipTo,
  requestedShipDate: '2026-11-28',
  serviceLevel: 'standard',
  carrier: { scac: 'EXFL' },
  lines: [
    { lineNumber: '1', sku: 'SKU-10001', gtin: '4006381333931', quantity: 48, unit: 'EA' },
    { lineNumber: '2', sku: 'SKU-20417', description: 'Copy paper A4', quantity: 10, unit: 'XCS' },
  ],
};

/** The same order after the warehouse confirmed the shipment (X12 945). */
export const shippedFulfillmentOrderExample: FulfillmentOrder = {
  ...fulfillmentOrderExample,
  status: 'shipped',
  lines: [
    {
      lineNumber: '1',
      sku: 'SKU-10001',
      gtin: '4006381333931',
      quantity: 48,
      unit: 'EA',
      shippedQuantity: 48,
    },
    { lineNumber: '2', sku: 'SKU-20417', quantity: 10, unit: 'XCS', shippedQuantity: 9 },
  ],
  shipment: {
    shipDate: '2026-11-28',
    billOfLading: 'BOL-99120034',
    trackingNumber: 'PRO-5520019',
    packageCount: 2,
    weight: { value: 412.5, unit: 'LBR' },
  },
};

export const inventoryAdjustmentExample: InventoryAdjustment = {
  adjustmentId: 'ADJ-2026-11-27-0007',
  location: { name: 'Crossdock DC Dallas', id: 'DC-DAL', gln: '0614141000005' },
  sku: 'SKU-10001',
  gtin: '4006381333931',
  lot: 'L2611A',
  quantityChange: -3,
  unit: 'EA',
  reason: 'damage',
  occurredAt: '2026-11-27T08:15:00-06:00',
};
