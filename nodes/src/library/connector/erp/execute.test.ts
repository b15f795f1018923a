import { describeOperationConnector } from '../../../testing/operation-connector-suite';
import { executeErp } from './execute';
import { ERP_OPERATIONS, erpConnector } from './manifest';

describeOperationConnector(erpConnector, executeErp, ERP_OPERATIONS, [
  {
    operation: 'get-order',
    input: { orderId: 'SO 1' },
    method: 'GET',
    url: '/api/orders/SO%201',
    body: null,
  },
  {
    operation: 'update-order-status',
    input: { orderId: 'SO-1', status: 'SHIPPED', other: 1 },
    method: 'PATCH',
    url: '/api/orders/SO-1/status',
    body: { status: 'SHIPPED', reason: null },
  },
  {
    operation: 'put-order-hold',
    input: { orderId: 'SO-1', reason: 'credit check' },
    method: 'PUT',
    url: '/api/orders/SO-1/hold',
    body: { reason: 'credit check' },
  },
  {
    operation: 'post-goods-receipt',
    input: { asn: 'ASN-1', lines: [{ sku: 'A', quantity: 2 }] },
    method: 'POST',
    url: '/api/goods-receipts',
    body: { asn: 'ASN-1', lines: [{ sku: 'A', quantity: 2 }] },
  },
  {
    operation: 'post-freight-accrual',
    input: { shipmentId: 'SH-1', amount: 120.5, currency: 'EUR' },
    method: 'POST',
    url: '/api/freight-accruals',
    body: { shipmentId: 'SH-1', amount: 120.5, currency: 'EUR' },
  },
  {
    operation: 'post-invoice',
    input: { invoiceNumber: 'INV-1', total: 99 },
    method: 'POST',
    url: '/api/invoices',
    body: { invoiceNumber: 'INV-1', total: 99 },
  },
]);
