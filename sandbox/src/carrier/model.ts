/** The carrier's native shapes: PascalCase JSON, pounds, X12 214 status codes, PRO numbers. */
export interface CarrierAddress {
  Name: string;
  City: string;
  StateProvince?: string;
  PostalCode?: string;
  CountryCode: string;
}

export interface CarrierActivity {
  StatusCode: string;
  ReasonCode: string;
  Description: string;
  Date: string;
  City: string;
  CountryCode: string;
}

export interface CarrierShipment {
  TrackingNumber: string;
  ProNumber: string;
  Scac: string;
  Reference: string;
  OrderReference?: string;
  ServiceCode: string;
  ShipFrom: CarrierAddress;
  ShipTo: CarrierAddress;
  Pieces: number;
  WeightLbs: number;
  CurrentStatus: string;
  Activity: CarrierActivity[];
  ProofOfDelivery?: { SignedBy: string; DeliveredAt: string };
}

export interface CarrierState {
  shipments: Record<string, CarrierShipment>;
}

/** X12 214 AT7-01 shipment status codes this carrier sends. */
export const statusCodes: Record<string, string> = {
  X3: 'Arrived at pickup location',
  AF: 'Picked up',
  X6: 'En route to delivery location',
  OD: 'Out for delivery',
  X1: 'Arrived at delivery location',
  D1: 'Delivered',
  SD: 'Shipment delayed',
  A9: 'Shipment damaged',
  CD: 'Carrier departed delivery location',
};
