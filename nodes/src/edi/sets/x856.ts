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
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'HL') {
        level = val(s, 3) ?? '';
        if (level === 'O') {
          order = { orderNumber: '', packages: [] };
          orders.push(order);
          pack = undefined;
        } else if (level === 'P' || level === 'T') {
          if (!order) {
            mappingProblem(
              ctx,
              s,
              'HL03',
              `A pack level (HL*P) comes before any order level (HL*O) ${at(s)}.`,
            );
            return;
          }
          pack = { sscc: '', items: [] };
          order.packages.push(pack);
        } else if (level === 'I') {
          if (!pack) {
            mappingProblem(
              ctx,
              s,
              'HL03',
              `An item level (HL*I) comes before any pack level (HL*P) ${at(s)}.`,
            );
            return;
          }
          item = { sku: '', quantity: 0, unit: 'EA' };
          pack.items.push(item);
        } else if (level !== 'S') {
          mappingProblem(
            ctx,
            s,
            'HL03',
            `HL03 level "${level}" is not one of S, O, P, I ${at(s)}.`,
          );
        }
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
        if (s.id === 'MAN' && val(s, 1) === 'GM') pack.sscc = need(ctx, s, 2, 'SSCC');
        else if (s.id === 'TD1') {
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
          item.unit = readCode(ctx, s, 3, UNIT_MAP, 'unit of measure') ?? 'EA';
        }
      }
    });
    if (orders.length === 0) {
      mappingProblem(ctx, undefined, 'HL', 'The 856 has no order level (HL*O).', {
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
        out.push(['MAN', 'GM', pack.sscc]);
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
