import { type OperationCatalog, operationConnectorManifest } from '../operations';

/** The TMS operations, as generic REST calls a sandbox or an adapter can implement. */
export const TMS_OPERATIONS: OperationCatalog = {
  'create-shipment': {
    method: 'POST',
    path: '/shipments',
    description: 'Creates a shipment to plan and tender.',
    bodyDescription: 'the message (a canonical Shipment)',
  },
  'tender-shipment': {
    method: 'POST',
    path: '/shipments/{{shipmentId}}/tenders',
    body: {
      object: [
        ['carrierScac', { var: 'carrierScac' }],
        ['serviceLevel', { var: 'serviceLevel' }],
      ],
    },
    description: 'Offers a shipment to a carrier.',
    bodyDescription: '`{carrierScac, serviceLevel}` from the message',
  },
  'update-shipment': {
    method: 'PATCH',
    path: '/shipments/{{shipmentId}}',
    description: 'Changes a planned shipment (dates, weight, packages).',
    bodyDescription: 'the message (the changed Shipment fields)',
  },
  'post-milestone': {
    method: 'POST',
    path: '/shipments/{{shipmentId}}/milestones',
    description: 'Records a carrier milestone (picked up, in transit, delivered).',
    bodyDescription: 'the message (a canonical CarrierMilestone)',
  },
};

export const tmsConnector = operationConnectorManifest({
  type: 'connector.tms',
  system: 'tms',
  title: 'TMS',
  description: 'Creates, tenders and updates shipments and records milestones in the TMS.',
  operations: TMS_OPERATIONS,
  defaultOperation: 'create-shipment',
  example:
    '`{"connection": "tms", "operation": "tender-shipment"}` on `{"shipmentId": "SH-9", "carrierScac": "UPSN", "serviceLevel": "GROUND"}` sends `POST <tms base>/shipments/SH-9/tenders` with `{"carrierScac": "UPSN", "serviceLevel": "GROUND"}`.',
});
