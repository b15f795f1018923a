/**
 * 940 Warehouse Shipping Order <-> FulfillmentOrder (status `released`).
 * W05 (02 depositor order number = fulfillment order, 03 purchase order number = sales order),
 * N1 loops (ST ship-to, WH warehouse), N9*ZZ (service level as an X12 284 code, by mutual
 * agreement: the 940 has no service level element), G62*10 (requested ship date), W66 (10 SCAC, 05 carrier
 * name), LX loop: W01 (01 quantity, 02 unit, product id pairs from 04: SK, UK), G69
 * (description), N9*LI (line number); W76 totals.
 */
import type { FulfillmentLine, FulfillmentOrder } from '../../canonical/types';
import { SERVICE_LEVEL_MAP, UNIT_MAP } from '../code-maps';
import {
  d8,
  find,
  mappingProblem,
  must,
  need,
  type Out,
  readCode,
  readDate,
  readNumber,
  real,
  required,
  val,
} from '../elements';
import { readBody, writeParty } from '../parties';
import { defineSet } from '../set-mapping';
import { at } from '../types';
import { readProductIds, writeProductIds } from './products';
import { shipToOf, warehouseOf } from './warehouse';

export const x940 = defineSet<FulfillmentOrder>({
  set: '940',
  functionalId: 'OW',
  title: 'Warehouse Shipping Order',
  read(ctx, body) {
    const w05 = required(ctx, body, 'W05', 'shipping order identification');
    if (!w05) return undefined;
    const lines: FulfillmentLine[] = [];
    let line: FulfillmentLine | undefined;
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'LX') {
        line = undefined;
      } else if (s.id === 'W01') {
        const ids = readProductIds(ctx, s, 4);
        if (ids.sku === undefined)
          mappingProblem(ctx, s, 'W0105', `W01 has no product id (W0104/05) ${at(s)}.`);
        line = {
          lineNumber: String(lines.length + 1),
          sku: ids.sku ?? '',
          quantity: readNumber(ctx, s, 1, 'quantity ordered') ?? 0,
          unit: readCode(ctx, s, 2, UNIT_MAP, 'unit of measure', 'EA'),
        };
        if (ids.gtin !== undefined) line.gtin = ids.gtin;
        if (ids.productIds) line.productIds = ids.productIds;
        lines.push(line);
      } else if (s.id === 'G69' && line) {
        const description = val(s, 1);
        if (description !== undefined) line.description = description;
      } else if (s.id === 'N9' && line && val(s, 1) === 'LI') {
        const number = val(s, 2);
        if (number !== undefined) line.lineNumber = number;
      }
    });
    if (lines.length === 0) {
      mappingProblem(ctx, undefined, 'W01', 'The 940 has no line items (LX/W01).', {
        code: 'missing-segment',
      });
    }
    const order: FulfillmentOrder = {
      fulfillmentOrderNumber: need(ctx, w05, 2, 'depositor order number'),
      status: 'released',
      warehouse: warehouseOf(ctx, parties),
      shipTo: shipToOf(ctx, parties),
      lines,
    };
    const salesOrderNumber = val(w05, 3);
    if (salesOrderNumber !== undefined) order.salesOrderNumber = salesOrderNumber;
    const requested = readDate(ctx, find(body, 'G62', '10'), 2, 'requested ship date');
    if (requested) order.requestedShipDate = requested;
    const level = readCode(ctx, find(body, 'N9', 'ZZ'), 2, SERVICE_LEVEL_MAP, 'service level');
    if (level) order.serviceLevel = level;
    const w66 = find(body, 'W66');
    const scac = val(w66, 10);
    if (scac !== undefined) {
      order.carrier = { scac };
      const name = val(w66, 5);
      if (name !== undefined) order.carrier.name = name;
    }
    return order;
  },
  write(order) {
    const out: Out[] = [['W05', 'N', order.fulfillmentOrderNumber, order.salesOrderNumber ?? '']];
    out.push(...writeParty('ST', order.shipTo));
    out.push(...writeParty('WH', order.warehouse));
    if (order.serviceLevel) {
      out.push(['N9', 'ZZ', must(SERVICE_LEVEL_MAP, order.serviceLevel, 'Service level')]);
    }
    if (order.requestedShipDate) out.push(['G62', '10', d8(order.requestedShipDate)]);
    if (order.carrier) {
      out.push([
        'W66',
        'PP',
        'M',
        '',
        '',
        order.carrier.name ?? '',
        '',
        '',
        '',
        '',
        order.carrier.scac,
      ]);
    }
    order.lines.forEach((line, index) => {
      out.push(['LX', String(index + 1)]);
      out.push([
        'W01',
        real(line.quantity),
        must(UNIT_MAP, line.unit, 'Unit'),
        '',
        ...writeProductIds(line),
      ]);
      if (line.description) out.push(['G69', line.description]);
      out.push(['N9', 'LI', line.lineNumber]);
    });
    const total = order.lines.reduce((sum, l) => sum + l.quantity, 0);
    out.push(['W76', real(total)]);
    return out;
  },
});
