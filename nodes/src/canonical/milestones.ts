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
  // The rest of the AT7-01 list (element 1650) real carriers send, on the closest status.
  { code: 'AD', description: 'Delivery appointment secured', status: 'appointment-scheduled' },
  { code: 'CP', description: 'Completed loading at pick-up location', status: 'picked-up' },
  { code: 'CL', description: 'Trailer closed out', status: 'picked-up' },
  { code: 'BA', description: 'Connecting line or cartage pick-up', status: 'picked-up' },
  { code: 'L1', description: 'Loading', status: 'arrived-at-pickup' },
  { code: 'RL', description: 'Rail departure from origin intermodal ramp', status: 'departed' },
  { code: 'I1', description: 'In-gate', status: 'in-transit' },
  { code: 'OA', description: 'Out-gate', status: 'in-transit' },
  { code: 'R1', description: 'Received from prior carrier', status: 'in-transit' },
  { code: 'J1', description: 'Delivered to connecting line', status: 'in-transit' },
  { code: 'K1', description: 'Arrived at customs', status: 'in-transit' },
  { code: 'AR', description: 'Rail arrival at destination intermodal ramp', status: 'in-transit' },
  { code: 'AN', description: 'Diverted to air carrier', status: 'in-transit' },
  { code: 'AI', description: 'Shipment has been reconsigned', status: 'in-transit' },
  { code: 'BC', description: 'Storage in transit', status: 'in-transit' },
  { code: 'B6', description: 'Estimated to arrive at carrier terminal', status: 'eta-updated' },
  { code: 'C1', description: 'Estimated to depart terminal location', status: 'eta-updated' },
  { code: 'S1', description: "Trailer spotted at consignee's location", status: 'arrived' },
  { code: 'AJ', description: 'Tendered for delivery', status: 'out-for-delivery' },
  { code: 'PR', description: 'U.S. Customs hold at in-bond location', status: 'delayed' },
  { code: 'AH', description: 'Attempted delivery', status: 'exception' },
  { code: 'A3', description: 'Shipment returned to shipper', status: 'exception' },
  {
    code: 'OO',
    description: 'Paperwork received, did not receive shipment or equipment',
    status: 'exception',
  },
];

const BY_CODE: ReadonlyMap<string, MilestoneStatus> = new Map(
  X12_214_STATUS_CODES.map((c) => [c.code, c.status]),
);

/** The canonical status of an X12 214 AT7-01 code, or undefined for a code we do not map. */
export function milestoneStatusOf(x12Code: string): MilestoneStatus | undefined {
  return BY_CODE.get(x12Code);
}

/** The X12 code to send for a canonical status (the first listed for it). */
export function x12CodeOf(status: MilestoneStatus): string {
  const found = X12_214_STATUS_CODES.find((c) => c.status === status);
  // Every status has a row; the table test proves it.
  return found ? found.code : 'X6';
}
