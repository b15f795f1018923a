import { describeOperationConnector } from '../../../testing/operation-connector-suite';
import { executeCarrier } from './execute';
import { CARRIER_OPERATIONS, carrierConnector } from './manifest';

describeOperationConnector(carrierConnector, executeCarrier, CARRIER_OPERATIONS, [
  {
    operation: 'get-rates',
    input: { origin: 'DEHAM', destination: 'FRPAR', weightKg: 3 },
    method: 'POST',
    url: '/api/rates',
    body: { origin: 'DEHAM', destination: 'FRPAR', weightKg: 3 },
  },
  {
    operation: 'book-shipment',
    input: { shipmentId: 'SH-1', serviceLevel: 'EXPRESS' },
    method: 'POST',
    url: '/api/shipments',
    body: { shipmentId: 'SH-1', serviceLevel: 'EXPRESS' },
  },
  {
    operation: 'get-tracking',
    input: { trackingNumber: '1Z999' },
    method: 'GET',
    url: '/api/tracking/1Z999',
    body: null,
  },
]);
