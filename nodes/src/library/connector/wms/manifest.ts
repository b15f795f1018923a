import { type OperationCatalog, operationConnectorManifest } from '../operations';

/** The WMS operations, as generic REST calls a sandbox or an adapter can implement. */
export const WMS_OPERATIONS: OperationCatalog = {
  'create-fulfillment-order': {
    method: 'POST',
    path: '/fulfillment-orders',
    description: 'Releases an order to the warehouse for picking and shipping.',
    bodyDescription: 'the message (a canonical FulfillmentOrder)',
  },
  'cancel-fulfillment-order': {
    method: 'POST',
    path: '/fulfillment-orders/{{fulfillmentOrderId}}/cancel',
    body: { object: [['reason', { var: 'reason' }]] },
    description: 'Cancels a fulfillment order that has not shipped.',
    bodyDescription: '`{reason}` from the message',
  },
  'create-receipt-expectation': {
    method: 'POST',
    path: '/receipt-expectations',
    description: 'Announces inbound goods so the warehouse can plan receiving.',
    bodyDescription: 'the message (a canonical AdvanceShipNotice)',
  },
  'post-inventory-adjustment': {
    method: 'POST',
    path: '/inventory-adjustments',
    description: 'Records a stock correction (count, damage, write-off).',
    bodyDescription: 'the message (a canonical InventoryAdjustment)',
  },
};

export const wmsConnector = operationConnectorManifest({
  type: 'connector.wms',
  system: 'wms',
  title: 'WMS',
  description:
    'Sends fulfillment orders, receipt expectations and inventory adjustments to the WMS.',
  operations: WMS_OPERATIONS,
  defaultOperation: 'create-fulfillment-order',
  example:
    '`{"connection": "wms", "operation": "cancel-fulfillment-order"}` on `{"fulfillmentOrderId": "FO-7", "reason": "customer cancelled"}` sends `POST <wms base>/fulfillment-orders/FO-7/cancel` with `{"reason": "customer cancelled"}`.',
});
