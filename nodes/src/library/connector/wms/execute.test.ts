import { describeOperationConnector } from '../../../testing/operation-connector-suite';
import { executeWms } from './execute';
import { WMS_OPERATIONS, wmsConnector } from './manifest';

describeOperationConnector(wmsConnector, executeWms, WMS_OPERATIONS, [
  {
    operation: 'create-fulfillment-order',
    input: { orderNumber: 'SO-1', lines: [] },
    method: 'POST',
    url: '/api/fulfillment-orders',
    body: { orderNumber: 'SO-1', lines: [] },
  },
  {
    operation: 'cancel-fulfillment-order',
    input: { fulfillmentOrderId: 'FO/7', reason: 'customer cancelled' },
    method: 'POST',
    url: '/api/fulfillment-orders/FO%2F7/cancel',
    body: { reason: 'customer cancelled' },
  },
  {
    operation: 'create-receipt-expectation',
    input: { asnNumber: 'ASN-1' },
    method: 'POST',
    url: '/api/receipt-expectations',
    body: { asnNumber: 'ASN-1' },
  },
  {
    operation: 'post-inventory-adjustment',
    input: { sku: 'A', quantity: -2, reason: 'damaged' },
    method: 'POST',
    url: '/api/inventory-adjustments',
    body: { sku: 'A', quantity: -2, reason: 'damaged' },
  },
]);
