/** The TMS's native shapes: snake_case, SHP- ids, kilograms, money in integer cents. */
export interface TmsPackage {
  package_id: string;
  weight_kg: number;
}

export interface TmsTender {
  tender_id: string;
  carrier_scac: string;
  offered_cost_cents: number;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  reason_code: string | null;
  tendered_at: string;
  responded_at: string | null;
}

export interface TmsMilestone {
  code: string;
  occurred_at: string;
  location: string | null;
  received_at: string;
}

export interface TmsFreightAudit {
  invoice_number: string;
  billed_cents: number;
  variance_cents: number;
  status: 'APPROVED' | 'DISPUTED';
  audited_at: string;
}

export type TmsStatus =
  | 'PLANNED'
  | 'TENDERED'
  | 'ACCEPTED'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'CANCELLED';

export interface TmsShipment {
  shipment_id: string;
  order_ref: string;
  status: TmsStatus;
  service_level: 'STD' | 'EXP' | 'ECO';
  origin: { location_code: string; city: string | null; country_code: string };
  destination: {
    name: string | null;
    street: string | null;
    city: string | null;
    postal_code: string | null;
    country_code: string;
  };
  packages: TmsPackage[];
  gross_weight_kg: number;
  carrier_scac: string | null;
  pro_number: string | null;
  planned_cost_cents: number | null;
  currency: string;
  tenders: TmsTender[];
  milestones: TmsMilestone[];
  freight_audits: TmsFreightAudit[];
  created_at: string;
  updated_at: string;
}

export interface TmsCarrier {
  carrier_scac: string;
  name: string;
  base_cents: number;
  per_kg_cents: number;
  /** How this carrier answers tenders: automatically, or left pending for a simulated answer. */
  tender_response: 'accept' | 'reject' | 'manual';
  /** Service levels offered (the TMS owns the carrier master). */
  service_levels?: string[];
}

export interface TmsState {
  shipments: Record<string, TmsShipment>;
  carriers: TmsCarrier[];
}

/** TMS milestone codes and the shipment status each one moves to. */
export const milestoneStatus: Record<string, TmsStatus | undefined> = {
  PUP: 'IN_TRANSIT',
  DEP: 'IN_TRANSIT',
  ARR: 'IN_TRANSIT',
  OFD: 'IN_TRANSIT',
  DLV: 'DELIVERED',
  POD: 'DELIVERED',
  DLY: undefined,
  EXC: undefined,
};

export function seedCarriers(): TmsCarrier[] {
  return [
    {
      carrier_scac: 'SAIA',
      service_levels: ['LTL', 'GUARANTEED'],
      name: 'Saia LTL Freight',
      base_cents: 8_500,
      per_kg_cents: 42,
      tender_response: 'accept',
    },
    {
      carrier_scac: 'EXFL',
      service_levels: ['LTL', 'EXPEDITED'],
      name: 'Example Freight Lines',
      base_cents: 9_200,
      per_kg_cents: 40,
      tender_response: 'accept',
    },
    {
      carrier_scac: 'RDWY',
      service_levels: ['LTL'],
      name: 'YRC Regional',
      base_cents: 11_000,
      per_kg_cents: 38,
      tender_response: 'accept',
    },
  ];
}
