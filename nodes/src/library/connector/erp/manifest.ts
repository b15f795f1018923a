import { type OperationCatalog, operationConnectorManifest } from '../operations';

/** The ERP operations, as generic REST calls a sandbox or an adapter can implement. */
export const ERP_OPERATIONS: OperationCatalog = {
  'get-order': {
    method: 'GET',
    path: '/orders/{{orderId}}',
    description: 'Reads a sales order.',
    bodyDescription: 'none',
  },
  'update-order-status': {
    method: 'PATCH',
    path: '/orders/{{orderId}}/status',
    body: {
      object: [
        ['status', { var: 'status' }],
        ['reason', { var: 'reason' }],
      ],
    },
    description: 'Sets the status of a sales order (e.g. SHIPPED, DELIVERED).',
    bodyDescription: '`{status, reason}` from the message',
  },
  'put-order-hold': {
    method: 'PUT',
    path: '/orders/{{orderId}}/hold',
    body: { object: [['reason', { var: 'reason' }]] },
    description: 'Puts a sales order on hold with a reason.',
    bodyDescription: '`{reason}` from the message',
  },
  'post-goods-receipt': {
    method: 'POST',
    path: '/goods-receipts',
    description: 'Books received goods against a purchase order or ASN.',
    bodyDescription: 'the message (a receipt: ASN reference, lines with item and quantity)',
  },
  'post-freight-accrual': {
    method: 'POST',
    path: '/freight-accruals',
    description: 'Accrues the planned freight cost of a shipment.',
    bodyDescription: 'the message (shipment id, carrier, amount, currency)',
  },
  'post-invoice': {
    method: 'POST',
    path: '/invoices',
    description: 'Posts a carrier freight invoice for matching and payment.',
    bodyDescription: 'the message (a canonical FreightInvoice)',
  },
};

export const erpConnector = operationConnectorManifest({
  type: 'connector.erp',
  system: 'erp',
  title: 'ERP',
  description:
    'Reads and updates sales orders and posts receipts, accruals and invoices in the ERP.',
  operations: ERP_OPERATIONS,
  defaultOperation: 'get-order',
  example:
    '`{"connection": "erp", "operation": "update-order-status"}` on `{"orderId": "SO-1001", "status": "SHIPPED"}` sends `PATCH <erp base>/orders/SO-1001/status` with `{"status": "SHIPPED", "reason": null}`.',
});
