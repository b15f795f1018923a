/**
 * Canonical carrier milestone statuses and the X12 214 shipment status codes (AT7-01) that map
 * onto them. Several X12 codes share one canonical status; generating a 214 from a milestone uses
 * the milestone's own `statusCode` when it has one, else the first code listed for its status.
 *
 * | X12 | X12 meaning                                      | canonical status       |
 * |-----|--------------------------------------------------|------------------------|
 * | XB  | Shipment acknowledged                             | acknowledged           |
 * | AA  | Pick-up appointment date and/or time              | appointment-scheduled  |
 * | AB  | Delivery appointment date and/or time             | appointment-scheduled  |
 * | X3  | Arrived at pick-up location                       | arrived-at-pickup      |
 * | X8  | Arrived at pick-up location loading dock          | arrived-at-pickup      |
 * | AM  | Loaded on truck                                   | picked-up              |
 * | AF  | Carrier departed pick-up location with shipment   | departed               |
 * | P1  | Departed terminal location                        | departed               |
 * | X4  | Arrived at terminal location                      | in-transit             |
 * | X6  | En route to delivery location                     | in-transit             |
 * | X2  | Estimated date and/or time of arrival             | eta-updated            |
 * | AG  | Estimated delivery                                | eta-updated            |
 * | X1  | Arrived at delivery location                      | arrived                |
 * | X5  | Arrived at delivery location loading dock         | arrived                |
 * | OD  | Out for delivery                                  | out-for-delivery       |
 * | AV  | Available for delivery                            | out-for-delivery       |
 * | D1  | Completed unloading at delivery location          | delivered              |
 * | CD  | Carrier departed delivery location                | delivered              |
 * | SD  | Shipment delayed                                  | delayed                |
 * | A9  | Shipment damaged                                  | exception              |
 * | A7  | Refused by consignee                              | exception              |
 * | AP  | Delivery not completed                            | exception              |
 * | CA  | Shipment cancelled                                | cancelled              |
 */
export const MILESTONE_STATUSES = [
  'acknowledged',
  'appointment-scheduled',
  'arrived-at-pickup',
  'picked-up',
  'departed',
  'in-transit',
  'eta-updated',
  'arrived',
  'out-for-delivery',
  'delivered',
  'delayed',
  'exception',
  'cancelled',
] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export interface X12StatusCode {
  code: string;
  description: string;
  status: MilestoneStatus;
}

/** The table above, as data (the order decides the default code per status). */
export const X12_214_STATUS_CODES: readonly X12StatusCode[] = [
  { code: 'XB', description: 'Shipment acknowledged', status: 'acknowledged' },
  {
    code: 'AA',
    description: 'Pick-up appointment date and/or time',
    status: 'appointment-scheduled',
  },
  {
    code: 'AB',
    description: 'Delivery appointment date and/or time',
    status: 'appointment-scheduled',
  },
  { code: 'X3', description: 'Arrived at pick-up location', status: 'arrived-at-pickup' },
  {
    code: 'X8',
    description: 'Arrived at pick-up location loading dock',
    status: 'arrived-at-pickup',
  },
  { code: 'AM', description: 'Loaded on truck', status: 'picked-up' },
  {
    code: 'AF',
    description: 'Carrier departed pick-up location with shipment',
    status: 'departed',
  },
  { code: 'P1', description: 'Departed terminal location', status: 'departed' },
  { code: 'X4', description: 'Arrived at terminal location', status: 'in-transit' },
  { code: 'X6', description: 'En route to delivery location', status: 'in-transit' },
  { code: 'X2', description: 'Estimated date and/or time of arrival', status: 'eta-updated' },
  { code: 'AG', description: 'Estimated delivery', status: 'eta-updated' },
  { code: 'X1', description: 'Arrived at delivery location', status: 'arrived' },
  { code: 'X5', description: 'Arrived at delivery location loading dock', status: 'arrived' },
  { code: 'OD', description: 'Out for delivery', status: 'out-for-delivery' },
  { code: 'AV', description: 'Available for delivery', status: 'out-for-delivery' },
  { code: 'D1', description: 'Completed unloading at delivery location', status: 'delivered' },
  { code: 'CD', description: 'Carrier departed delivery location', status: 'delivered' },
  { code: 'SD', description: 'Shipment delayed', status: 'delayed' },
  { code: 'A9', description: 'Shipment damaged', status: 'exception' },
  { code: 'A7', description: 'Refused by consignee', status: 'exception' },
  { code: 'AP', description: 'Delivery not completed', status: 'exception' },
  { code: 'CA', description: 'Shipment cancelled', status: 'cancelled' },
];

/** The canonical status of an X12 214 AT7-01 code, or undefined for a code we do not map. */
export function milestoneStatusOf(x12Code: string): MilestoneStatus | undefined {
  return X12_214_STATUS_CODES.find((c) => c.code === x12Code)?.status;
}

/** The X12 code to send for a canonical status (the first listed for it). */
export function x12CodeOf(status: MilestoneStatus): string {
  const found = X12_214_STATUS_CODES.find((c) => c.status === status);
  // Every status has a row; the table test proves it.
  return found ? found.code : 'X6';
}
