import type { CanonicalObjects } from '../types';
import {
  fulfillmentOrderExample,
  inventoryAdjustmentExample,
  itemExample,
  locationExample,
  salesOrderExample,
} from './orders';
import {
  advanceShipNoticeExample,
  carrierMilestoneExample,
  freightInvoiceExample,
  proofOfDeliveryExample,
  shipmentExample,
  tenderResponseExample,
} from './transport';

export { shippedFulfillmentOrderExample } from './orders';

/** One realistic, valid example per canonical type (palette samples, docs and tests use them). */
export const canonicalExamples: { readonly [K in keyof CanonicalObjects]: CanonicalObjects[K] } = {
  SalesOrder: salesOrderExample,
  Item: itemExample,
  Location: locationExample,
  FulfillmentOrder: fulfillmentOrderExample,
  InventoryAdjustment: inventoryAdjustmentExample,
  AdvanceShipNotice: advanceShipNoticeExample,
  Shipment: shipmentExample,
  TenderResponse: tenderResponseExample,
  CarrierMilestone: carrierMilestoneExample,
  ProofOfDelivery: proofOfDeliveryExample,
  FreightInvoice: freightInvoiceExample,
};
