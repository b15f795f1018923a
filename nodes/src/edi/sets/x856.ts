/**
 * 856 Ship Notice/Manifest <-> AdvanceShipNotice, hierarchy 0001 (shipment, order, pack, item).
 * BSN (02 ASN number, 03 date), then HL loops (01 id, 02 parent id, 03 level):
 * - S shipment: TD1 (01 packaging, 02 count, 07 weight, 08 unit), TD5 (03 SCAC), REF*BM (bill
 *   of lading), REF*CN (tracking/PRO), N1 loops (SF ship-from, ST ship-to);
 * - O order: PRF (01 purchase order number);
 * - P pack: MAN*GM (SSCC-18), TD1 (package weight);
 * - I item: LIN (01 line, id pairs: SK, UK, LT), SN1 (02 quantity, 03 unit).
 * CTT (01 number of HL segments).
 */

import { hasValidGs1CheckDigit } from '../../canonical/gs1';
import type { AdvanceShipNotice, AsnItem, AsnOrder, AsnPackage } from '../../canonical/types';
import { UNIT_MAP, WEIGHT_UOM_MAP } from '../code-maps';
import {
  d8,
  find,
  mappingProblem,
  must,
  need,
  type Out,
  type ReadContext,
  readCode,
  readDate,
  readNumber,
  real,
  required,
  val,
} from '../elements';
import { readBody, writeParty } from '../parties';
import { defineSet } from '../set-mapping';
import { at, type Segment } from '../types';
import { readProductIds, writeProductIds } from './products';

function readTd1Weight(ctx: ReadContext, s: Segment) {
  const value = readNumber(ctx, s, 7, 'weight');
  const unit = readCode(ctx, s, 8, WEIGHT_UOM_MAP, 'weight unit');
  return value !== undefined && unit !== undefined ? { value, unit } : undefined;
}

/**
 * MAN*GM: an SSCC-18, or the 20-digit GS1-128 form with application identifier 00 in front.
 * A bad check digit is a warning (the label is still what the partner scans): the pack keeps
 * no SSCC then and the raw value is named in the warning.
 */
function readSscc(ctx: ReadContext, s: Segment): string | undefined {
  const raw = val(s, 2);
  if (raw === undefined) return undefined;
  const digits = raw.replace(/^\(00\)/, '00');
  const sscc = /^00\d{18}$/.test(digits) ? digits.slice(2) : digits;
  if (!/^\d{18}$/.test(sscc) || !hasValidGs1CheckDigit(sscc)) {
    mappingProblem(
      ctx,
      s,
      'MAN02',
      `MAN02 "${raw}" is not an SSCC (18 digits, or 00 + 18 digits, with a valid check digit); the pack is kept without it ${at(s)}.`,
      { severity: 'warning', code: 'bad-check-digit' },
    );
    return undefined;
  }
  return sscc;
}

export const x856 = defineSet<AdvanceShipNotice>({
  set: '856',
  functionalId: 'SH',
  title: 'Ship Notice/Manifest',
  read(ctx, body) {
    const bsn = required(ctx, body, 'BSN', 'beginning segment for ship notice');
    if (!bsn) return undefined;
    const orders: AsnOrder[] = [];
    const asn: Partial<AdvanceShipNotice> = {};
    let level = '';
    let order: AsnOrder | undefined;
    let pack: AsnPackage | undefined;
    let item: AsnItem | undefined;
    let tare: AsnPackage | undefined;
    let implicitOrder: AsnOrder | undefined;
    let orderNumberAtShipment: string | undefined;
    // S-P-I and S-T-P-I without HL*O: one order, numbered by PRF (or BSN02) at shipment level.
    const currentOrder = (): AsnOrder => {
      if (order) return order;
      implicitOrder = { orderNumber: orderNumberAtShipment ?? '', packages: [] };
      order = implicitOrder;
      orders.push(order);
      return order;
    };
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'HL') {
        level = val(s, 3) ?? '';
        if (level === 'O') {
          order = { orderNumber: '', packages: [] };
          orders.push(order);
          pack = undefined;
        } else if (level === 'T') {
          // A tare (pallet) groups packs; its own SSCC is kept when it has no packs under it.
          tare = { items: [] };
          pack = tare;
          currentOrder().packages.push(tare);
        } else if (level === 'P') {
          // Packs under a tare are the packages; the pallet itself carries no items.
          if (tare && tare.items.length === 0) currentOrder().packages.pop();
          tare = undefined;
          pack = { items: [] };
          currentOrder().packages.push(pack);
        } else if (level === 'I') {
          // S-O-I: items straight under the order travel in one package without an SSCC.
          if (!pack) {
            pack = { items: [] };
            currentOrder().packages.push(pack);
          }
          item = { sku: '', quantity: 0, unit: 'EA' };
          pack.items.push(item);
        } else if (level !== 'S') {
          mappingProblem(
            ctx,
            s,
            'HL03',
            `HL03 level "${level}" is not one of S, O, T, P, I; its segments are read past ${at(s)}.`,
            { severity: 'warning', code: 'unknown-code' },
          );
        }
        return;
      }
      if (s.id === 'PRF' && level !== 'O') {
        // S-P-I: the order number sits in the shipment level (or the pack level).
        const number = val(s, 1);
        if (number !== undefined && implicitOrder) implicitOrder.orderNumber = number;
        else if (number !== undefined) orderNumberAtShipment = number;
        return;
      }
      if (level === 'S') {
        if (s.id === 'TD1') {
          const weight = readTd1Weight(ctx, s);
          if (weight) asn.totalWeight = weight;
        } else if (s.id === 'TD5' && val(s, 3) !== undefined) {
          asn.carrier = { scac: val(s, 3) ?? '' };
        } else if (s.id === 'REF' && val(s, 1) === 'BM') {
          asn.billOfLading = val(s, 2) ?? '';
        } else if (s.id === 'REF' && val(s, 1) === 'CN') {
          asn.trackingNumber = val(s, 2) ?? '';
        }
      } else if (level === 'O' && order && s.id === 'PRF') {
        order.orderNumber = need(ctx, s, 1, 'purchase order number');
      } else if ((level === 'P' || level === 'T') && pack) {
        if (s.id === 'MAN' && val(s, 1) === 'GM') {
          const sscc = readSscc(ctx, s);
          if (sscc !== undefined) pack.sscc = sscc;
        } else if (s.id === 'TD1') {
          const weight = readTd1Weight(ctx, s);
          if (weight) pack.weight = weight;
        }
      } else if (level === 'I' && item) {
        if (s.id === 'LIN') {
          const ids = readProductIds(ctx, s, 2);
          if (ids.sku === undefined)
            mappingProblem(ctx, s, 'LIN03', `LIN has no product id (LIN02/03) ${at(s)}.`);
          item.sku = ids.sku ?? '';
          const lineNumber = val(s, 1);
          if (lineNumber !== undefined) item.lineNumber = lineNumber;
          if (ids.gtin !== undefined) item.gtin = ids.gtin;
          if (ids.lot !== undefined) item.lot = ids.lot;
          if (ids.productIds) item.productIds = ids.productIds;
        } else if (s.id === 'SN1') {
          item.quantity = readNumber(ctx, s, 2, 'units shipped') ?? 0;
          item.unit = readCode(ctx, s, 3, UNIT_MAP, 'unit of measure', 'EA');
        }
      }
    });
    if (implicitOrder && implicitOrder.orderNumber === '') {
      const bsn02 = val(bsn, 2) ?? '';
      implicitOrder.orderNumber = bsn02;
      mappingProblem(
        ctx,
        bsn,
        'PRF01',
        `The 856 has no order level (HL*O) and no PRF; its packs are filed under the shipment id "${bsn02}" ${at(bsn)}.`,
        { severity: 'warning', code: 'default-applied' },
      );
    }
    for (const o of orders) {
      // A tare that only grouped packs carries nothing of its own.
      o.packages = o.packages.filter((p) => p.items.length > 0);
    }
    if (orders.length === 0) {
      mappingProblem(ctx, undefined, 'HL', 'The 856 has no order, pack or item level (HL).', {
        code: 'missing-segment',
      });
    }
    const shipFrom = parties.get('SF');
    const shipTo = parties.get('ST');
    if (!shipFrom || !shipTo) {
      mappingProblem(
        ctx,
        undefined,
        'N1',
        'The 856 needs a ship-from (N1*SF) and a ship-to (N1*ST).',
        {
          code: 'missing-segment',
        },
      );
    }
    const dtm = find(body, 'DTM', '011');
    const result: AdvanceShipNotice = {
      asnNumber: need(ctx, bsn, 2, 'shipment identification'),
      shipDate: readDate(ctx, dtm, 2, 'shipped date') ?? readDate(ctx, bsn, 3, 'date') ?? '',
      shipFrom: shipFrom ?? { name: '' },
      shipTo: shipTo ?? { name: '' },
      ...asn,
      orders,
    };
    return result;
  },
  write(asn) {
    const out: Out[] = [['BSN', '00', asn.asnNumber, d8(asn.shipDate), '0000', '0001']];
    let hl = 0;
    const packageCount = asn.orders.reduce((n, o) => n + o.packages.length, 0);
    out.push(['HL', String(++hl), '', 'S']);
    out.push([
      'TD1',
      'CTN',
      String(packageCount),
      '',
      '',
      '',
      asn.totalWeight ? 'G' : '',
      asn.totalWeight ? real(asn.totalWeight.value) : '',
      asn.totalWeight ? must(WEIGHT_UOM_MAP, asn.totalWeight.unit, 'Weight unit') : '',
    ]);
    if (asn.carrier) out.push(['TD5', 'B', '2', asn.carrier.scac]);
    if (asn.billOfLading) out.push(['REF', 'BM', asn.billOfLading]);
    if (asn.trackingNumber) out.push(['REF', 'CN', asn.trackingNumber]);
    out.push(['DTM', '011', d8(asn.shipDate)]);
    out.push(...writeParty('SF', asn.shipFrom));
    out.push(...writeParty('ST', asn.shipTo));
    for (const order of asn.orders) {
      const orderHl = ++hl;
      out.push(['HL', String(orderHl), '1', 'O']);
      out.push(['PRF', order.orderNumber]);
      for (const pack of order.packages) {
        const packHl = ++hl;
        out.push(['HL', String(packHl), String(orderHl), 'P']);
        if (pack.weight) {
          out.push([
            'TD1',
            'CTN',
            '1',
            '',
            '',
            '',
            'G',
            real(pack.weight.value),
            must(WEIGHT_UOM_MAP, pack.weight.unit, 'Weight unit'),
          ]);
        }
        if (pack.sscc !== undefined) out.push(['MAN', 'GM', pack.sscc]);
        for (const item of pack.items) {
          out.push(['HL', String(++hl), String(packHl), 'I']);
          out.push(['LIN', item.lineNumber ?? '', ...writeProductIds(item)]);
          out.push(['SN1', '', real(item.quantity), must(UNIT_MAP, item.unit, 'Unit')]);
        }
      }
    }
    out.push(['CTT', String(hl)]);
    return out;
  },
});
