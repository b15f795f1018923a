import { type Segment, type TransactionSet, x12Date } from './envelope';

export interface Party {
  name: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  /** A location code sent as N1*..*92*code (assigned by buyer). */
  code?: string;
}

function partySegments(qualifier: string, party: Party): Segment[] {
  const n1: Segment = party.code
    ? ['N1', qualifier, party.name, '92', party.code]
    : ['N1', qualifier, party.name];
  const segments: Segment[] = [n1];
  if (party.city) {
    segments.push([
      'N4',
      party.city,
      party.state ?? '',
      party.postalCode ?? '',
      party.country ?? '',
    ]);
  }
  return segments;
}

export interface StatusMessage {
  proNumber: string;
  shipmentRef: string;
  scac: string;
  orderRef?: string;
  shipper: Party;
  consignee: Party;
  /** AT7-01 shipment status code (X3, AF, X6, OD, X1, D1, CD, SD, A9, ...). */
  statusCode: string;
  /** AT7-02 status reason (NS normal status, ...). */
  reasonCode: string;
  at: Date;
  location: { city: string; state?: string; country: string };
  weightLbs: number;
  pieces: number;
}

/** X12 214 Transportation Carrier Shipment Status Message. */
export function statusMessage214(m: StatusMessage): TransactionSet {
  const { date, time } = x12Date(m.at);
  const body: Segment[] = [['B10', m.proNumber, m.shipmentRef, m.scac]];
  if (m.orderRef) body.push(['L11', m.orderRef, 'PO']);
  body.push(...partySegments('SH', m.shipper), ...partySegments('CN', m.consignee));
  body.push(
    ['LX', '1'],
    ['AT7', m.statusCode, m.reasonCode, '', '', date, time, 'UT'],
    ['MS1', m.location.city, m.location.state ?? '', m.location.country],
    ['MS2', m.scac, m.proNumber],
    ['AT8', 'G', 'L', String(m.weightLbs), String(m.pieces)],
  );
  return { code: '214', body };
}

export interface FreightCharge {
  description: string;
  /** L1-08 special charge code for accessorials (FUE fuel surcharge, ...); absent for linehaul. */
  specialChargeCode?: string;
  cents: number;
}

export interface FreightInvoice {
  invoiceNumber: string;
  proNumber: string;
  shipmentRef: string;
  scac: string;
  orderRef?: string;
  invoiceDate: Date;
  deliveryDate?: Date;
  currency: string;
  shipper: Party;
  consignee: Party;
  weightLbs: number;
  pieces: number;
  charges: readonly FreightCharge[];
}

/** X12 210 Motor Carrier Freight Details and Invoice; amounts are N2 (implied cents). */
export function freightInvoice210(inv: FreightInvoice): TransactionSet {
  const total = inv.charges.reduce((sum, c) => sum + c.cents, 0);
  const body: Segment[] = [
    [
      'B3',
      '',
      inv.invoiceNumber,
      inv.shipmentRef,
      'PP',
      'L',
      x12Date(inv.invoiceDate).date,
      String(total),
      '',
      inv.deliveryDate ? x12Date(inv.deliveryDate).date : '',
      inv.deliveryDate ? '035' : '',
      inv.scac,
    ],
    ['C3', inv.currency],
    ['N9', 'CN', inv.proNumber],
  ];
  if (inv.orderRef) body.push(['N9', 'PO', inv.orderRef]);
  body.push(...partySegments('SH', inv.shipper), ...partySegments('CN', inv.consignee));
  body.push(
    ['LX', '1'],
    ['L5', '1', 'FREIGHT ALL KINDS'],
    ['L0', '1', '', '', String(inv.weightLbs), 'G', '', '', String(inv.pieces), 'PCS'],
  );
  inv.charges.forEach((charge, index) => {
    body.push([
      'L1',
      String(index + 1),
      '',
      '',
      String(charge.cents),
      '',
      '',
      '',
      charge.specialChargeCode ?? '',
      '',
      '',
      '',
      charge.description,
    ]);
  });
  body.push([
    'L3',
    String(inv.weightLbs),
    'G',
    '',
    '',
    String(total),
    '',
    '',
    '',
    '',
    '',
    String(inv.pieces),
  ]);
  return { code: '210', body };
}

export interface AsnItem {
  sku: string;
  gtin?: string;
  quantity: number;
  uom: string;
}

export interface AsnCarton {
  sscc: string;
  items: readonly AsnItem[];
}

export interface ShipNotice {
  asnNumber: string;
  poNumber: string;
  at: Date;
  shipDate: Date;
  scac: string;
  billOfLading: string;
  shipFrom: Party;
  shipTo: Party;
  weightLbs: number;
  cartons: readonly AsnCarton[];
}

/** X12 856 Ship Notice/Manifest, hierarchy Shipment > Order > Pack > Item. */
export function shipNotice856(asn: ShipNotice): TransactionSet {
  const { date, time } = x12Date(asn.at);
  let hl = 0;
  const body: Segment[] = [['BSN', '00', asn.asnNumber, date, time, '0001']];
  hl += 1;
  const shipmentHl = hl;
  body.push(
    ['HL', String(shipmentHl), '', 'S'],
    ['TD1', 'CTN25', String(asn.cartons.length), '', '', '', 'G', String(asn.weightLbs), 'LB'],
    ['TD5', 'B', '2', asn.scac, 'M'],
    ['REF', 'BM', asn.billOfLading],
    ['DTM', '011', x12Date(asn.shipDate).date],
    ...partySegments('SF', asn.shipFrom),
    ...partySegments('ST', asn.shipTo),
  );
  hl += 1;
  const orderHl = hl;
  body.push(['HL', String(orderHl), String(shipmentHl), 'O'], ['PRF', asn.poNumber]);
  for (const carton of asn.cartons) {
    hl += 1;
    const packHl = hl;
    body.push(['HL', String(packHl), String(orderHl), 'P'], ['MAN', 'GM', carton.sscc]);
    for (const item of carton.items) {
      hl += 1;
      const lin: string[] = ['LIN', '', 'SK', item.sku];
      if (item.gtin) lin.push('UK', item.gtin);
      body.push(['HL', String(hl), String(packHl), 'I'], lin, [
        'SN1',
        '',
        String(item.quantity),
        item.uom,
      ]);
    }
  }
  body.push(['CTT', String(hl)]);
  return { code: '856', body };
}
