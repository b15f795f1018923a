/** The WMS's native shapes: camelCase, pick tickets, numeric status codes, pounds and inches. */
export interface WmsAddress {
  name: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface WmsLine {
  lineNo: number;
  sku: string;
  orderedQty: number;
  pickedQty: number;
  shippedQty: number;
  uom: 'EA' | 'CS' | 'PL';
}

export interface WmsCarton {
  cartonId: string;
  weightLb: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
  lines: Array<{ sku: string; qty: number }>;
}

/** 10 created, 20 allocated, 30 picked, 40 packed, 50 shipped, 90 cancelled. */
export type WmsStatusCode = 10 | 20 | 30 | 40 | 50 | 90;

export const statusText: Record<WmsStatusCode, string> = {
  10: 'Created',
  20: 'Allocated',
  30: 'Picked',
  40: 'Packed',
  50: 'Shipped',
  90: 'Cancelled',
};

export interface WmsOrder {
  orderId: string;
  pickTicket: string;
  orderRef: string;
  warehouse: string;
  priority: 'HIGH' | 'NORMAL';
  statusCode: WmsStatusCode;
  shipTo: WmsAddress;
  requestedShipDate: string | null;
  lines: WmsLine[];
  cartons: WmsCarton[];
  createdAt: string;
  updatedAt: string;
}

export interface WmsReceipt {
  receiptId: string;
  asnNumber: string;
  poNumber: string;
  warehouse: string;
  status: 'EXPECTED' | 'RECEIVED';
  lines: Array<{
    lineNo: number;
    sku: string;
    expectedQty: number;
    receivedQty: number;
    uom: string;
    lpn: string | null;
  }>;
  createdAt: string;
}

/** Item master as the WMS keeps it: pounds and inches, GTIN-14. */
export interface WmsItem {
  sku: string;
  description: string;
  uom: 'EA' | 'CS' | 'PL';
  weightLb: number;
  lengthIn: number;
  widthIn: number;
  heightIn: number;
  gtin: string;
}

/** A warehouse (location) with its address and time zone. */
export interface WmsLocation {
  code: string;
  name: string;
  address: { street: string; city: string; postalCode: string; country: string };
  timeZone: string;
}

export interface WmsState {
  orders: Record<string, WmsOrder>;
  receipts: Record<string, WmsReceipt>;
  /** On-hand by `<warehouse>/<sku>`, in eaches. */
  inventory: Record<string, number>;
  /** Master data; absent in state files written before it existed. */
  items?: Record<string, WmsItem>;
  locations?: Record<string, WmsLocation>;
}

/** Pounds per unit of measure, for pack weights. */
export const poundsPer: Record<WmsLine['uom'], number> = { EA: 1.1, CS: 13.2, PL: 440 };
