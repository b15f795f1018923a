import { type OperationCatalog, operationConnectorManifest } from '../operations';

/** The carrier operations, as generic REST calls a sandbox or an adapter can implement. */
export const CARRIER_OPERATIONS: OperationCatalog = {
  'get-rates': {
    method: 'POST',
    path: '/rates',
    description: 'Quotes rates for a shipment (a read, sent as POST because it has a body).',
    bodyDescription: 'the message (a canonical Shipment: origin, destination, packages, weight)',
  },
  'book-shipment': {
    method: 'POST',
    path: '/shipments',
    description: 'Books a shipment and returns the tracking number and labels.',
    bodyDescription: 'the message (a canonical Shipment with service level)',
  },
  'get-tracking': {
    method: 'GET',
    path: '/tracking/{{trackingNumber}}',
    description: 'Reads the tracking events of a shipment.',
    bodyDescription: 'none',
  },
};

export const carrierConnector = operationConnectorManifest({
  type: 'connector.carrier',
  system: 'carrier',
  title: 'Carrier',
  description: 'Quotes rates, books shipments and reads tracking from a carrier API.',
  operations: CARRIER_OPERATIONS,
  defaultOperation: 'get-rates',
  example:
    '`{"connection": "ups", "operation": "get-tracking"}` on `{"trackingNumber": "1Z999"}` calls `GET <carrier base>/tracking/1Z999` and emits the tracking answer.',
});
