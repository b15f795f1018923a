/**
 * JSON Schemas (draft 2020-12) of the canonical logistics objects, one per `CanonicalType`.
 * GTIN, SSCC and GLN fields carry both a `pattern` (any tool can check the shape) and a custom
 * `format` (`gtin`, `sscc`, `gln`) that `checkSchema` registers to verify the check digit.
 */
import type { JsonObject } from '../sdk/json';
import {
  address,
  addressedParty,
  carrier,
  country,
  currency,
  dimensions,
  gln,
  gtin,
  identifier,
  isoDate,
  isoDateTime,
  milestoneLocation,
  milestoneStatus,
  money,
  nonNegative,
  orderLineProperties,
  party,
  positive,
  productIds,
  schema,
  serviceLevel,
  sscc,
  text,
  transportMode,
  unit,
  unLocode,
  volume,
  weight,
} from './fragments';
import type { CanonicalType } from './types';

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

export const salesOrderSchema = schema({
  $schema: DRAFT,
  title: 'SalesOrder',
  description: 'A customer order as the ERP owns it (X12 850).',
  type: 'object',
  additionalProperties: false,
  required: ['orderNumber', 'orderDate', 'requestedDate', 'customer', 'shipTo', 'lines'],
  properties: {
    orderNumber: identifier,
    orderDate: isoDate,
    requestedDate: isoDate,
    customer: party,
    shipTo: addressedParty,
    billTo: party,
    serviceLevel,
    carrier,
    currency,
    lines: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'sku', 'quantity', 'unit'],
        properties: orderLineProperties,
      },
    },
  },
});

export const itemSchema = schema({
  $schema: DRAFT,
  title: 'Item',
  description: 'A product master record (ERP owns it).',
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'description', 'unit'],
  properties: {
    sku: identifier,
    gtin,
    description: text,
    unit,
    weight,
    dimensions,
    hazardous: { type: 'boolean' },
    countryOfOrigin: country,
  },
});

export const locationSchema = schema({
  $schema: DRAFT,
  title: 'Location',
  description: 'A warehouse, store, customer site, supplier, terminal or port.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'type', 'address'],
  properties: {
    id: identifier,
    name: text,
    type: {
      type: 'string',
      enum: ['warehouse', 'store', 'customer', 'supplier', 'carrier-terminal', 'port'],
    },
    gln,
    unLocode,
    address,
    timeZone: { type: 'string', pattern: '^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$' },
  },
});

export const fulfillmentOrderSchema = schema({
  $schema: DRAFT,
  title: 'FulfillmentOrder',
  description:
    'An order released to a warehouse (X12 940) and, once shipped, its confirmation (X12 945).',
  type: 'object',
  additionalProperties: false,
  required: ['fulfillmentOrderNumber', 'status', 'warehouse', 'shipTo', 'lines'],
  properties: {
    fulfillmentOrderNumber: identifier,
    salesOrderNumber: identifier,
    status: {
      type: 'string',
      enum: ['released', 'allocated', 'picked', 'packed', 'shipped', 'cancelled'],
    },
    warehouse: party,
    shipTo: addressedParty,
    requestedShipDate: isoDate,
    serviceLevel,
    carrier,
    lines: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'sku', 'quantity', 'unit'],
        properties: { ...orderLineProperties, shippedQuantity: nonNegative },
      },
    },
    shipment: {
      type: 'object',
      additionalProperties: false,
      required: ['shipDate'],
      properties: {
        shipDate: isoDate,
        billOfLading: identifier,
        trackingNumber: identifier,
        packageCount: { type: 'integer', minimum: 0 },
        weight,
      },
    },
  },
});

export const inventoryAdjustmentSchema = schema({
  $schema: DRAFT,
  title: 'InventoryAdjustment',
  description: 'A change of stock on hand reported by the WMS.',
  type: 'object',
  additionalProperties: false,
  required: ['adjustmentId', 'location', 'sku', 'quantityChange', 'unit', 'reason', 'occurredAt'],
  properties: {
    adjustmentId: identifier,
    location: party,
    sku: identifier,
    gtin,
    lot: identifier,
    quantityChange: { type: 'number', not: { const: 0 } },
    unit,
    reason: {
      type: 'string',
      enum: ['cycle-count', 'damage', 'receipt', 'correction', 'expiry', 'found', 'lost'],
    },
    occurredAt: isoDateTime,
  },
});

export const advanceShipNoticeSchema = schema({
  $schema: DRAFT,
  title: 'AdvanceShipNotice',
  description: 'What left the dock, order by order and package by package (X12 856).',
  type: 'object',
  additionalProperties: false,
  required: ['asnNumber', 'shipDate', 'shipFrom', 'shipTo', 'orders'],
  properties: {
    asnNumber: identifier,
    shipDate: isoDate,
    shipFrom: party,
    shipTo: party,
    carrier,
    billOfLading: identifier,
    trackingNumber: identifier,
    totalWeight: weight,
    orders: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['orderNumber', 'packages'],
        properties: {
          orderNumber: identifier,
          packages: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['items'],
              properties: {
                sscc,
                weight,
                items: {
                  type: 'array',
                  minItems: 1,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['sku', 'quantity', 'unit'],
                    properties: {
                      lineNumber: identifier,
                      sku: identifier,
                      gtin,
                      productIds,
                      quantity: positive,
                      unit,
                      lot: identifier,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});

const stop = schema({
  type: 'object',
  additionalProperties: false,
  required: ['party'],
  properties: { party: addressedParty, earliest: isoDateTime, latest: isoDateTime },
});

export const shipmentSchema = schema({
  $schema: DRAFT,
  title: 'Shipment',
  description: 'A planned movement the TMS tenders to a carrier (X12 204).',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'carrier', 'origin', 'destination', 'packages', 'totalWeight'],
  properties: {
    shipmentId: identifier,
    billOfLading: identifier,
    mode: transportMode,
    serviceLevel,
    carrier,
    origin: stop,
    destination: stop,
    packages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['quantity', 'unit', 'weight'],
        properties: {
          sscc,
          description: text,
          quantity: { type: 'integer', minimum: 1 },
          unit,
          weight,
        },
      },
    },
    totalWeight: weight,
    totalCube: volume,
    plannedFreightCost: money,
    orderNumbers: { type: 'array', items: identifier },
  },
});

export const tenderResponseSchema = schema({
  $schema: DRAFT,
  title: 'TenderResponse',
  description: "A carrier's answer to a load tender (X12 990).",
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'carrier', 'decision', 'respondedOn'],
  properties: {
    shipmentId: identifier,
    carrier,
    decision: { type: 'string', enum: ['accepted', 'declined'] },
    respondedOn: isoDate,
    reason: text,
  },
});

export const carrierMilestoneSchema = schema({
  $schema: DRAFT,
  title: 'CarrierMilestone',
  description: 'One shipment status event reported by a carrier (X12 214).',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'carrier', 'status', 'occurredAt'],
  properties: {
    shipmentId: identifier,
    carrier,
    billOfLading: identifier,
    proNumber: identifier,
    status: milestoneStatus,
    statusCode: { type: 'string', pattern: '^[A-Z0-9]{2}$' },
    reasonCode: { type: 'string', pattern: '^[A-Z0-9]{2,3}$' },
    occurredAt: isoDateTime,
    location: milestoneLocation,
    stopNumber: { type: 'integer', minimum: 1 },
    weight,
    pieces: { type: 'integer', minimum: 0 },
    references: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['qualifier', 'value'],
        properties: {
          qualifier: { type: 'string', pattern: '^[A-Z0-9]{2,3}$' },
          value: { type: 'string', minLength: 1, maxLength: 80 },
        },
      },
    },
  },
});

export const proofOfDeliverySchema = schema({
  $schema: DRAFT,
  title: 'ProofOfDelivery',
  description: 'Who signed for a delivery, when and where.',
  type: 'object',
  additionalProperties: false,
  required: ['shipmentId', 'deliveredAt', 'signedBy'],
  properties: {
    shipmentId: identifier,
    deliveredAt: isoDateTime,
    signedBy: text,
    location: milestoneLocation,
    packagesDelivered: { type: 'integer', minimum: 0 },
    exceptions: { type: 'array', items: text },
    documentRef: text,
  },
});

export const freightInvoiceSchema = schema({
  $schema: DRAFT,
  title: 'FreightInvoice',
  description: "A carrier's bill for a shipment (X12 210).",
  type: 'object',
  additionalProperties: false,
  required: [
    'invoiceNumber',
    'invoiceDate',
    'shipmentId',
    'carrier',
    'currency',
    'totalAmount',
    'charges',
  ],
  properties: {
    invoiceNumber: identifier,
    invoiceDate: isoDate,
    shipmentId: identifier,
    billOfLading: identifier,
    carrier,
    currency,
    totalAmount: nonNegative,
    weight,
    origin: party,
    destination: party,
    charges: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['lineNumber', 'description', 'amount'],
        properties: {
          lineNumber: { type: 'integer', minimum: 1 },
          description: text,
          chargeCode: { type: 'string', pattern: '^[A-Z0-9]{1,4}$' },
          amount: { type: 'number' },
          weight,
        },
      },
    },
  },
});

/** Every canonical schema by type name. */
export const canonicalSchemas: Record<CanonicalType, JsonObject> = {
  SalesOrder: salesOrderSchema,
  Item: itemSchema,
  Location: locationSchema,
  FulfillmentOrder: fulfillmentOrderSchema,
  InventoryAdjustment: inventoryAdjustmentSchema,
  AdvanceShipNotice: advanceShipNoticeSchema,
  Shipment: shipmentSchema,
  TenderResponse: tenderResponseSchema,
  CarrierMilestone: carrierMilestoneSchema,
  ProofOfDelivery: proofOfDeliverySchema,
  FreightInvoice: freightInvoiceSchema,
};

/** The canonical type names, in the order above. */
export const CANONICAL_TYPES = Object.keys(canonicalSchemas) as CanonicalType[];
