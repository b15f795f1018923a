/**
 * The ERP's native shapes, SAP-like: upper-case field names (VBELN order, POSNR item, MATNR
 * material, KWMENG quantity, VRKME sales unit ST/KAR/KG), dates as YYYYMMDD, money as decimals.
 */
export interface ErpAddress {
  NAME1: string;
  STRAS: string;
  ORT01: string;
  PSTLZ: string;
  /** Country; may be empty on an incomplete order. */
  LAND1: string;
}

export interface ErpItem {
  POSNR: string;
  MATNR: string;
  ARKTX: string;
  KWMENG: number;
  VRKME: 'ST' | 'KAR' | 'PAL' | 'KG';
  BRGEW: number;
  GEWEI: 'KG';
}

/**
 * Order status: A open, REL released to the warehouse, PIK picked, PAK packed, B partially
 * shipped, C shipped complete, DLV delivered (bills the order).
 */
export const orderStatuses = ['A', 'REL', 'PIK', 'PAK', 'B', 'C', 'DLV'] as const;
export type ErpOrderStatus = (typeof orderStatuses)[number];

export interface ErpOrder {
  VBELN: string;
  AUART: string;
  KUNNR: string;
  KUNNR_NAME: string;
  WERKS: string;
  VSBED: '01' | '02';
  VDATU: string;
  STATUS: ErpOrderStatus;
  /** Delivery block (hold) code; empty when none. */
  LIFSK: string;
  REVISION: number;
  WE: ErpAddress;
  ITEMS: ErpItem[];
  /** Forwarding agent (carrier SCAC) and planned freight, once the TMS has a carrier. */
  TDLNR: string;
  FREIGHT: { KBETR: number; WAERS: string } | null;
  STATUS_LOG: Array<{ STATUS: string; REASON: string; AT: string }>;
  HOLDS: Array<{ LIFSK: string; REASON: string; AT: string }>;
  /** Billing documents created for this order. */
  BILLING: string[];
}

export interface ErpPurchaseOrder {
  EBELN: string;
  LIFNR: string;
  WERKS: string;
  ITEMS: Array<{ EBELP: string; MATNR: string; MENGE: number; MEINS: string; WEMNG: number }>;
}

export interface ErpDocument {
  BELNR: string;
  BLART: string;
  BUDAT: string;
  [field: string]: unknown;
}

/** Material master (MARA/MARM-like): units, gross weight in KG, dimensions in CM, EAN/GTIN. */
export interface ErpMaterial {
  MATNR: string;
  MAKTX: string;
  MEINS: 'ST' | 'KAR' | 'PAL' | 'KG';
  BRGEW: number;
  GEWEI: 'KG';
  LAENG: number;
  BREIT: number;
  HOEHE: number;
  MEABM: 'CM';
  EAN11: string;
}

/** Plant (location) master with its address and time zone. */
export interface ErpPlant {
  WERKS: string;
  NAME1: string;
  STRAS: string;
  ORT01: string;
  PSTLZ: string;
  LAND1: string;
  TZONE: string;
}

/** The ERP's copy of a carrier (a vendor with its SCAC and shipping types). */
export interface ErpCarrier {
  LIFNR: string;
  SCAC: string;
  NAME1: string;
  /** Service levels, comma-separated as the ERP's text field holds them. */
  VSART: string;
}

export interface ErpState {
  orders: Record<string, ErpOrder>;
  purchaseOrders: Record<string, ErpPurchaseOrder>;
  /** Customer billing documents by number. */
  billing: Record<
    string,
    { VBELN_VF: string; VBELN: string; FKDAT: string; NETWR: number; WAERK: string }
  >;
  /** Goods receipts, freight accruals, freight invoices, inventory postings, work items. */
  documents: ErpDocument[];
  /** Master data and stock; absent in state files written before they existed. */
  materials?: Record<string, ErpMaterial>;
  plants?: Record<string, ErpPlant>;
  carriers?: Record<string, ErpCarrier>;
  /** Unrestricted stock (LABST) by `<MATNR>/<WERKS>`, in the material's base unit. */
  stock?: Record<string, number>;
}
