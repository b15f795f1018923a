/**
 * TypeScript types of the canonical logistics objects. Each has a JSON Schema in `schemas.ts`;
 * the examples in `examples/` are typed with these and validated against those, which keeps the
 * two in step.
 */
import type {
  LengthUnit,
  ServiceLevel,
  TransportMode,
  UnitCode,
  VolumeUnit,
  WeightUnit,
} from './codes';
import type { MilestoneStatus } from './milestones';

export interface Address {
  /** One to three street lines. */
  lines: string[];
  city: string;
  /** State, province or county code. */
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** A company or site taking part in a document: buyer, ship-to, warehouse, carrier stop. */
export interface Party {
  name: string;
  /** The trading partner's own code for it (X12 N1-04 with qualifier 92). */
  id?: string;
  gln?: string;
  unLocode?: string;
  address?: Address;
}

export interface Weight {
  value: number;
  unit: WeightUnit;
}

export interface Volume {
  value: number;
  unit: VolumeUnit;
}

export interface Dimensions {
  length: number;
  width: number;
  height: number;
  unit: LengthUnit;
}

export interface Money {
  amount: number;
  /** ISO 4217. */
  currency: string;
}

export interface CarrierRef {
  /** Standard Carrier Alpha Code. */
  scac: string;
  name?: string;
}

/** A value with the X12 qualifier it was sent with (a product id, a reference). */
export interface QualifiedValue {
  qualifier: string;
  value: string;
}

/** A product identifier as a trading partner sent it (X12 qualifier, e.g. UP, VN, BP). */
export type ProductId = QualifiedValue;

export interface OrderLine {
  lineNumber: string;
  sku: string;
  gtin?: string;
  /** Every identifier the partner sent, when there are more than sku and gtin say. */
  productIds?: ProductId[];
  description?: string;
  quantity: number;
  unit: UnitCode;
  unitPrice?: number;
}

export interface SalesOrder {
  orderNumber: string;
  /** ISO date (YYYY-MM-DD). */
  orderDate: string;
  requestedDate: string;
  customer: Party;
  shipTo: Party & { address: Address };
  billTo?: Party;
  serviceLevel?: ServiceLevel;
  carrier?: CarrierRef;
  currency?: string;
  lines: OrderLine[];
}

export interface Item {
  sku: string;
  gtin?: string;
  description: string;
  unit: UnitCode;
  weight?: Weight;
  dimensions?: Dimensions;
  hazardous?: boolean;
  countryOfOrigin?: string;
}

export type LocationType =
  | 'warehouse'
  | 'store'
  | 'customer'
  | 'supplier'
  | 'carrier-terminal'
  | 'port';

export interface Location {
  id: string;
  name: string;
  type: LocationType;
  gln?: string;
  unLocode?: string;
  address: Address;
  /** IANA time zone, e.g. America/Chicago. */
  timeZone?: string;
}

export type FulfillmentStatus =
  | 'released'
  | 'allocated'
  | 'picked'
  | 'packed'
  | 'shipped'
  | 'cancelled';

export interface FulfillmentLine extends OrderLine {
  /** Filled in by the warehouse's shipment confirmation (945). */
  shippedQuantity?: number;
}

export interface ShipmentConfirmation {
  shipDate: string;
  billOfLading?: string;
  trackingNumber?: string;
  packageCount?: number;
  weight?: Weight;
}

export interface FulfillmentOrder {
  fulfillmentOrderNumber: string;
  salesOrderNumber?: string;
  status: FulfillmentStatus;
  warehouse: Party;
  shipTo: Party & { address: Address };
  requestedShipDate?: string;
  serviceLevel?: ServiceLevel;
  carrier?: CarrierRef;
  lines: FulfillmentLine[];
  shipment?: ShipmentConfirmation;
}

export type AdjustmentReason =
  | 'cycle-count'
  | 'damage'
  | 'receipt'
  | 'correction'
  | 'expiry'
  | 'found'
  | 'lost';

export interface InventoryAdjustment {
  adjustmentId: string;
  location: Party;
  sku: string;
  gtin?: string;
  lot?: string;
  /** Signed: negative takes stock away. */
  quantityChange: number;
  unit: UnitCode;
  reason: AdjustmentReason;
  occurredAt: string;
}

export interface AsnItem {
  lineNumber?: string;
  sku: string;
  gtin?: string;
  productIds?: ProductId[];
  quantity: number;
  unit: UnitCode;
  lot?: string;
}

export interface AsnPackage {
  /** Absent for a package without a serial shipping container code (an 856 without HL*P). */
  sscc?: string;
  weight?: Weight;
  items: AsnItem[];
}

export interface AsnOrder {
  orderNumber: string;
  packages: AsnPackage[];
}

export interface AdvanceShipNotice {
  asnNumber: string;
  shipDate: string;
  shipFrom: Party;
  shipTo: Party;
  carrier?: CarrierRef;
  billOfLading?: string;
  trackingNumber?: string;
  totalWeight?: Weight;
  orders: AsnOrder[];
}

export interface Stop {
  party: Party & { address: Address };
  /** ISO date-times bounding the appointment. */
  earliest?: string;
  latest?: string;
}

export interface ShipmentPackage {
  sscc?: string;
  description?: string;
  quantity: number;
  unit: UnitCode;
  weight: Weight;
}

export interface Shipment {
  shipmentId: string;
  billOfLading?: string;
  mode?: TransportMode;
  serviceLevel?: ServiceLevel;
  carrier: CarrierRef;
  origin: Stop;
  destination: Stop;
  packages: ShipmentPackage[];
  totalWeight: Weight;
  totalCube?: Volume;
  plannedFreightCost?: Money;
  orderNumbers?: string[];
}

export interface TenderResponse {
  shipmentId: string;
  carrier: CarrierRef;
  decision: 'accepted' | 'declined';
  respondedOn: string;
  reason?: string;
}

export interface MilestoneLocation {
  city: string;
  region?: string;
  country: string;
  unLocode?: string;
}

export interface CarrierMilestone {
  shipmentId: string;
  carrier: CarrierRef;
  billOfLading?: string;
  proNumber?: string;
  /** `unknown` when the carrier's code is not one Crossdock maps (`statusCode` keeps it). */
  status: MilestoneStatus | 'unknown';
  /** The X12 214 AT7-01 code the carrier sent, when it came from a 214. */
  statusCode?: string;
  /** The X12 AT7-02 status reason code (NS = normal status). */
  reasonCode?: string;
  occurredAt: string;
  location?: MilestoneLocation;
  stopNumber?: number;
  /** AT8 weight of what the status reports. */
  weight?: Weight;
  /** AT8 lading quantity. */
  pieces?: number;
  /** L11 references other than the bill of lading and stop number (qualifier as sent). */
  references?: QualifiedValue[];
}

export interface ProofOfDelivery {
  shipmentId: string;
  deliveredAt: string;
  signedBy: string;
  location?: MilestoneLocation;
  packagesDelivered?: number;
  exceptions?: string[];
  /** Where the signature image is kept (a document store reference, never the image). */
  documentRef?: string;
}

export interface FreightCharge {
  lineNumber: number;
  description: string;
  /** Carrier charge code, e.g. 400 (freight), FUE (fuel surcharge). */
  chargeCode?: string;
  amount: number;
  weight?: Weight;
}

export interface FreightInvoice {
  invoiceNumber: string;
  invoiceDate: string;
  shipmentId: string;
  billOfLading?: string;
  carrier: CarrierRef;
  currency: string;
  totalAmount: number;
  weight?: Weight;
  origin?: Party;
  destination?: Party;
  charges: FreightCharge[];
}

/** Every canonical object by its type name. */
export interface CanonicalObjects {
  SalesOrder: SalesOrder;
  Item: Item;
  Location: Location;
  FulfillmentOrder: FulfillmentOrder;
  InventoryAdjustment: InventoryAdjustment;
  AdvanceShipNotice: AdvanceShipNotice;
  Shipment: Shipment;
  TenderResponse: TenderResponse;
  CarrierMilestone: CarrierMilestone;
  ProofOfDelivery: ProofOfDelivery;
  FreightInvoice: FreightInvoice;
}

export type CanonicalType = keyof CanonicalObjects;
