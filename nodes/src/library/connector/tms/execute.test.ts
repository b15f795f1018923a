import { describeOperationConnector } from '../../../testing/operation-connector-suite';
import { executeTms } from './execute';
import { TMS_OPERATIONS, tmsConnector } from './manifest';

describeOperationConnector(tmsConnector, executeTms, TMS_OPERATIONS, [
  {
    operation: 'create-shipment',
    input: { shipmentId: 'SH-1', weightKg: 12 },
    method: 'POST',
    url: '/api/shipments',
    body: { shipmentId: 'SH-1', weightKg: 12 },
  },
  {
    operation: 'tender-shipment',
    input: { shipmentId: 'SH-1', carrierScac: 'UPSN', serviceLevel: 'GROUND', extra: true },
    method: 'POST',
    url: '/api/shipments/SH-1/tenders',
    body: { carrierScac: 'UPSN', serviceLevel: 'GROUND' },
  },
  {
    operation: 'update-shipment',
    input: { shipmentId: 'SH-1', weightKg: 14 },
    method: 'PATCH',
    url: '/api/shipments/SH-1',
    body: { shipmentId: 'SH-1', weightKg: 14 },
  },
  {
    operation: 'post-milestone',
    input: { shipmentId: 'SH-1', status: 'DELIVERED' },
    method: 'POST',
    url: '/api/shipments/SH-1/milestones',
    body: { shipmentId: 'SH-1', status: 'DELIVERED' },
  },
]);
