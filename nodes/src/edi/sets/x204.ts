/**
 * 204 Motor Carrier Load Tender <-> Shipment.
 * B2 (02 SCAC, 04 shipment id, 06 payment method), B2A, L11 (qualifier BM bill of lading,
 * PO order numbers, ZZ service level as an X12 284 code by mutual agreement, since the 204
 * has no service level element), MS3 (01 SCAC, 04 transport mode), optional CUR (01 BY, 02 currency; USD
 * when absent), S5 loops (01 stop number, 02 LD load / UL unload) with G62 windows (37/38 ship
 * not before/after, 53/54 deliver not before/after; 04 time, 05 time code), N1 loop (SH
 * shipper, CN consignee) and OID (01 SSCC, 04 packaging form, 05 quantity, 06 weight unit,
 * 07 weight) with L5 (02 description) per package; L3 (01 weight, 05 planned charge N2,
 * 09 volume, 10 volume unit, 12 weight unit).
 */
import { hasValidGs1CheckDigit } from '../../canonical/gs1';
import type { Shipment, ShipmentPackage, Stop } from '../../canonical/types';
import {
  PACKAGING_MAP,
  SERVICE_LEVEL_MAP,
  TRANSPORT_MODE_MAP,
  VOLUME_UNIT_MAP,
  WEIGHT_UNIT_MAP,
} from '../code-maps';
import {
  find,
  mappingProblem,
  must,
  n2,
  need,
  type Out,
  type ReadContext,
  readCode,
  readDateTime,
  readN2,
  readNumber,
  real,
  required,
  utcDateTime,
  val,
} from '../elements';
import { readParty, writeParty } from '../parties';
import { defineSet } from '../set-mapping';
import { at, type Segment } from '../types';
import { zoneOfRegion } from '../zones';

const WINDOW = {
  LD: { earliest: '37', latest: '38', earliestTime: 'I', latestTime: 'K' },
  UL: { earliest: '53', latest: '54', earliestTime: 'G', latestTime: 'L' },
} as const;

/** S502 stop reason codes that pick freight up, and those that deliver it. */
const PICKUP_REASONS = new Set(['LD', 'CL', 'PL', 'PA', 'SL', 'RT']);
const DELIVERY_REASONS = new Set(['UL', 'CU', 'PU', 'DT', 'DR', 'SU']);
/**
 * G62 date qualifiers that open and close a stop's window. Pick-ups: 37 ship not before, 38
 * ship not later than, 10 requested ship date, 69 scheduled pick-up. Deliveries: 53
 * deliver not before, 54 deliver no later than, 68 requested delivery, 02 delivery requested,
 * 70 scheduled delivery. A single date (10, 68, 02, 69, 70) opens the window.
 */
const EARLIEST = { pickup: ['37', '10', '69'], delivery: ['53', '68', '02', '70'] };
const LATEST = { pickup: ['38'], delivery: ['54'] };

interface StopRead {
  reason: string;
  stop: Partial<Stop>;
  packages: ShipmentPackage[];
  windows: Segment[];
}

const isSscc = (v: string) => /^\d{18}$/.test(v) && hasValidGs1CheckDigit(v);

function settleWindows(ctx: ReadContext, current: StopRead): void {
  const kind = DELIVERY_REASONS.has(current.reason) ? 'delivery' : 'pickup';
  const address = current.stop.party?.address;
  const zone = zoneOfRegion(address?.region, address?.country);
  for (const s of current.windows) {
    const qualifier = val(s, 1) ?? '';
    const earliest = EARLIEST[kind].indexOf(qualifier);
    const latest = LATEST[kind].indexOf(qualifier);
    if (earliest < 0 && latest < 0) continue;
    const when = readDateTime(ctx, s, 2, 4, 5, 'appointment', zone);
    if (!when) continue;
    // The most specific qualifier (first in the list) wins when a stop sends several.
    if (earliest >= 0 && (current.stop.earliest === undefined || earliest === 0))
      current.stop.earliest = when;
    if (latest >= 0) current.stop.latest = when;
  }
}

function readStops(ctx: ReadContext, body: Segment[]): StopRead[] {
  const stops: StopRead[] = [];
  let current: StopRead | undefined;
  let pkg: ShipmentPackage | undefined;
  for (let i = 0; i < body.length; ) {
    const s = body[i] as Segment;
    if (s.id === 'S5') {
      if (current) settleWindows(ctx, current);
      current = { reason: val(s, 2) ?? '', stop: {}, packages: [], windows: [] };
      if (!PICKUP_REASONS.has(current.reason) && !DELIVERY_REASONS.has(current.reason)) {
        mappingProblem(
          ctx,
          s,
          'S502',
          `S502 stop reason "${current.reason}" is neither a pick-up nor a delivery Crossdock knows; the stop is read past ${at(s)}.`,
          { severity: 'warning', code: 'unknown-code' },
        );
      }
      stops.push(current);
      pkg = undefined;
    } else if (current && s.id === 'N1') {
      const read = readParty(ctx, body, i);
      if (read.party.address) current.stop.party = { ...read.party, address: read.party.address };
      else mappingProblem(ctx, s, 'N1', `Stop ${stops.length} needs an address (N3, N4) ${at(s)}.`);
      i = read.next;
      continue;
    } else if (current && s.id === 'G62') {
      current.windows.push(s);
    } else if (current && s.id === 'OID') {
      pkg = {
        quantity: readNumber(ctx, s, 5, 'quantity') ?? 0,
        unit: readCode(ctx, s, 4, PACKAGING_MAP, 'packaging form', 'XPK'),
        weight: {
          value: readNumber(ctx, s, 7, 'weight') ?? 0,
          unit: readCode(ctx, s, 6, WEIGHT_UNIT_MAP, 'weight unit', 'LBR'),
        },
      };
      // OID01 is a reference (often the PO); it is an SSCC only when it is one.
      const oid01 = val(s, 1);
      if (oid01 !== undefined && isSscc(oid01)) pkg.sscc = oid01;
      current.packages.push(pkg);
    } else if (pkg && s.id === 'L5') {
      const description = val(s, 2);
      if (description !== undefined) pkg.description = description;
    }
    i++;
  }
  if (current) settleWindows(ctx, current);
  return stops;
}

function writeStop(
  number: number,
  reason: 'LD' | 'UL',
  stop: Stop,
  packages: ShipmentPackage[],
): Out[] {
  const window = WINDOW[reason];
  const out: Out[] = [['S5', String(number), reason]];
  for (const [qualifier, timeQualifier, when] of [
    [window.earliest, window.earliestTime, stop.earliest],
    [window.latest, window.latestTime, stop.latest],
  ] as const) {
    if (when === undefined) continue;
    const { date, time } = utcDateTime(when);
    out.push(['G62', qualifier, date, timeQualifier, time, 'UT']);
  }
  out.push(...writeParty(reason === 'LD' ? 'SH' : 'CN', stop.party));
  for (const pkg of packages) {
    out.push([
      'OID',
      pkg.sscc ?? '',
      '',
      '',
      must(PACKAGING_MAP, pkg.unit, 'Package unit'),
      String(pkg.quantity),
      must(WEIGHT_UNIT_MAP, pkg.weight.unit, 'Weight unit'),
      real(pkg.weight.value),
    ]);
    if (pkg.description) out.push(['L5', '1', pkg.description]);
  }
  return out;
}

export const x204 = defineSet<Shipment>({
  set: '204',
  functionalId: 'SM',
  title: 'Motor Carrier Load Tender',
  read(ctx, body) {
    const b2 = required(ctx, body, 'B2', 'beginning segment for shipment information');
    if (!b2) return undefined;
    const stops = readStops(ctx, body);
    const pickups = stops.filter((s) => PICKUP_REASONS.has(s.reason));
    const deliveries = stops.filter((s) => DELIVERY_REASONS.has(s.reason));
    const pickup = pickups[0];
    const delivery = deliveries[deliveries.length - 1];
    if (!pickup?.stop.party || !delivery?.stop.party) {
      mappingProblem(
        ctx,
        undefined,
        'S5',
        'The 204 needs a pick-up stop (S5 LD, CL, PL...) and a delivery stop (S5 UL, CU, PU...), each with an N1 loop.',
        {
          code: 'missing-segment',
        },
      );
      return undefined;
    }
    // Partners list the freight at the pick-up and again at the delivery: count it once.
    const atPickup = pickups.flatMap((s) => s.packages);
    const packages = atPickup.length > 0 ? atPickup : deliveries.flatMap((s) => s.packages);
    if (packages.length === 0) {
      mappingProblem(ctx, undefined, 'OID', 'The 204 has no packages (OID).', {
        code: 'missing-segment',
      });
    }
    const l3 = find(body, 'L3');
    const shipment: Shipment = {
      shipmentId: need(ctx, b2, 4, 'shipment identification number'),
      carrier: { scac: need(ctx, b2, 2, 'SCAC') },
      origin: { ...pickup.stop, party: pickup.stop.party },
      destination: { ...delivery.stop, party: delivery.stop.party },
      packages,
      totalWeight: {
        value:
          readNumber(ctx, l3, 1, 'total weight') ??
          packages.reduce((n, p) => n + p.weight.value, 0),
        unit:
          readCode(ctx, l3, 12, WEIGHT_UNIT_MAP, 'weight unit') ??
          packages[0]?.weight.unit ??
          'LBR',
      },
    };
    const bol = body.find((s) => s.id === 'L11' && val(s, 2) === 'BM');
    if (bol) shipment.billOfLading = need(ctx, bol, 1, 'bill of lading');
    const orderNumbers = body
      .filter((s) => s.id === 'L11' && val(s, 2) === 'PO')
      .map((s) => val(s, 1) ?? '');
    if (orderNumbers.length > 0) shipment.orderNumbers = orderNumbers;
    const level = body.find((s) => s.id === 'L11' && val(s, 2) === 'ZZ');
    const serviceLevel = readCode(ctx, level, 1, SERVICE_LEVEL_MAP, 'service level');
    if (serviceLevel) shipment.serviceLevel = serviceLevel;
    const mode = readCode(ctx, find(body, 'MS3'), 4, TRANSPORT_MODE_MAP, 'transportation method');
    if (mode) shipment.mode = mode;
    const charge = readN2(ctx, l3, 5, 'charge');
    if (charge !== undefined) {
      shipment.plannedFreightCost = {
        amount: charge,
        currency: val(find(body, 'CUR'), 2) ?? 'USD',
      };
    }
    const volume = readNumber(ctx, l3, 9, 'volume');
    const volumeUnit = readCode(ctx, l3, 10, VOLUME_UNIT_MAP, 'volume unit');
    if (volume !== undefined && volumeUnit)
      shipment.totalCube = { value: volume, unit: volumeUnit };
    return shipment;
  },
  write(shipment) {
    const out: Out[] = [
      ['B2', '', shipment.carrier.scac, '', shipment.shipmentId, '', 'PP'],
      ['B2A', '00'],
    ];
    if (shipment.billOfLading) out.push(['L11', shipment.billOfLading, 'BM']);
    if (shipment.serviceLevel) {
      out.push(['L11', must(SERVICE_LEVEL_MAP, shipment.serviceLevel, 'Service level'), 'ZZ']);
    }
    for (const order of shipment.orderNumbers ?? []) out.push(['L11', order, 'PO']);
    if (shipment.mode) {
      out.push([
        'MS3',
        shipment.carrier.scac,
        'B',
        '',
        must(TRANSPORT_MODE_MAP, shipment.mode, 'Mode'),
      ]);
    }
    const cost = shipment.plannedFreightCost;
    if (cost && cost.currency !== 'USD') out.push(['CUR', 'BY', cost.currency]);
    out.push(...writeStop(1, 'LD', shipment.origin, shipment.packages));
    out.push(...writeStop(2, 'UL', shipment.destination, []));
    out.push([
      'L3',
      real(shipment.totalWeight.value),
      'G',
      '',
      '',
      cost ? n2(cost.amount) : '',
      '',
      '',
      '',
      shipment.totalCube ? real(shipment.totalCube.value) : '',
      shipment.totalCube ? must(VOLUME_UNIT_MAP, shipment.totalCube.unit, 'Volume unit') : '',
      '',
      must(WEIGHT_UNIT_MAP, shipment.totalWeight.unit, 'Weight unit'),
    ]);
    return out;
  },
});
