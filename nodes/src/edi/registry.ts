/** The transaction sets Crossdock reads and writes, and the canonical type each maps to. */
import type {
  AdvanceShipNotice,
  CanonicalType,
  CarrierMilestone,
  FreightInvoice,
  FulfillmentOrder,
  SalesOrder,
  Shipment,
  TenderResponse,
} from '../canonical/types';
import type { SetMapping } from './set-mapping';
import { x204 } from './sets/x204';
import { x210 } from './sets/x210';
import { x214 } from './sets/x214';
import { x850 } from './sets/x850';
import { x856 } from './sets/x856';
import { x940 } from './sets/x940';
import { x945 } from './sets/x945';
import { x990 } from './sets/x990';
import { type FunctionalAcknowledgment, x997 } from './sets/x997';

/** The value each transaction set maps to (a 214 reports several milestones). */
export interface TransactionSetValues {
  '850': SalesOrder;
  '856': AdvanceShipNotice;
  '940': FulfillmentOrder;
  '945': FulfillmentOrder;
  '204': Shipment;
  '990': TenderResponse;
  '214': CarrierMilestone[];
  '210': FreightInvoice;
  '997': FunctionalAcknowledgment;
}

export type TransactionSetId = keyof TransactionSetValues;

export type EdiValueType = CanonicalType | 'FunctionalAcknowledgment';

export const SET_MAPPINGS: {
  readonly [K in TransactionSetId]: SetMapping<TransactionSetValues[K]>;
} = {
  '850': x850,
  '856': x856,
  '940': x940,
  '945': x945,
  '204': x204,
  '990': x990,
  '214': x214,
  '210': x210,
  '997': x997,
};

/** The canonical type of each set's value (for a 214, of each item of the list). */
export const SET_VALUE_TYPES: { readonly [K in TransactionSetId]: EdiValueType } = {
  '850': 'SalesOrder',
  '856': 'AdvanceShipNotice',
  '940': 'FulfillmentOrder',
  '945': 'FulfillmentOrder',
  '204': 'Shipment',
  '990': 'TenderResponse',
  '214': 'CarrierMilestone',
  '210': 'FreightInvoice',
  '997': 'FunctionalAcknowledgment',
};

export const TRANSACTION_SET_IDS = Object.keys(SET_MAPPINGS) as TransactionSetId[];

export function isTransactionSetId(id: string): id is TransactionSetId {
  return Object.hasOwn(SET_MAPPINGS, id);
}
