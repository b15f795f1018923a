/**
 * 945 Warehouse Shipping Advice <-> FulfillmentOrder (status `shipped`, with `shipment` and
 * each line's `shippedQuantity`).
 * W06 (02 depositor order number, 03 ship date, 06 purchase order number), N1 loops (ST, WH),
 * N9*BM (bill of lading), N9*CN (carrier reference / PRO), W27 (02 SCAC, 03 carrier name),
 * LX loop: W12 (01 CC complete / CP partial, 02 ordered, 03 shipped, 05 unit, 06 GTIN,
 * 07/08 SK sku), G69 (description), N9*LI (line number); W03 (01 units, 02 weight, 03 weight
 * unit, 06 packages).
 */
import { hasValidGs1CheckDigit } from '../../canonical/gs1';
import type { FulfillmentLine, FulfillmentOrder } from '../../canonical/types';
import { PermanentError } from '../../sdk/errors';
import { UNIT_MAP, WEIGHT_UOM_MAP } from '../code-maps';
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
import { readProductIds } from './products';
import { shipToOf, warehouseOf } from './warehouse';

export const x945 = defineSet<FulfillmentOrder>({
  set: '945',
  functionalId: 'SW',
  title: 'Warehouse Shipping Advice',
  read(ctx, body) {
    const w06 = required(ctx, body, 'W06', 'warehouse shipment identification');
    if (!w06) return undefined;
    const lines: FulfillmentLine[] = [];
    let line: FulfillmentLine | undefined;
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'LX') {
        line = undefined;
      } else if (s.id === 'W12') {
        // W1206 is the UPC; W1207/08 (and any pairs after) the other product ids.
        const ids = readProductIds(ctx, s, 7);
        if (ids.sku === undefined)
          mappingProblem(ctx, s, 'W1208', `W12 has no product id (W1207/08) ${at(s)}.`);
        line = {
          lineNumber: String(lines.length + 1),
          sku: ids.sku ?? '',
          quantity: readNumber(ctx, s, 2, 'quantity ordered') ?? 0,
          unit: readCode(ctx, s, 5, UNIT_MAP, 'unit of measure', 'EA'),
          shippedQuantity: readNumber(ctx, s, 3, 'units shipped') ?? 0,
        };
        const upc = val(s, 6);
        if (upc !== undefined && /^(\d{8}|\d{12,14})$/.test(upc) && hasValidGs1CheckDigit(upc)) {
          line.gtin = upc;
        } else if (upc !== undefined) {
          mappingProblem(
            ctx,
            s,
            'W1206',
            `W1206 "${upc}" is not a valid UPC/GTIN (length or check digit); it is left out ${at(s)}.`,
            { severity: 'warning', code: 'bad-check-digit' },
          );
        }
        if (ids.gtin !== undefined) line.gtin ??= ids.gtin;
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
      mappingProblem(ctx, undefined, 'W12', 'The 945 has no line items (LX/W12).', {
        code: 'missing-segment',
      });
    }
    const order: FulfillmentOrder = {
      fulfillmentOrderNumber: need(ctx, w06, 2, 'depositor order number'),
      status: 'shipped',
      warehouse: warehouseOf(ctx, parties),
      shipTo: shipToOf(ctx, parties),
      lines,
      shipment: { shipDate: readDate(ctx, w06, 3, 'ship date') ?? need(ctx, w06, 3, 'ship date') },
    };
    const salesOrderNumber = val(w06, 6);
    if (salesOrderNumber !== undefined) order.salesOrderNumber = salesOrderNumber;
    const shipment = order.shipment ?? { shipDate: '' };
    const bol = val(find(body, 'N9', 'BM'), 2);
    if (bol !== undefined) shipment.billOfLading = bol;
    const tracking = val(find(body, 'N9', 'CN'), 2);
    if (tracking !== undefined) shipment.trackingNumber = tracking;
    const w03 = find(body, 'W03');
    const packages = readNumber(ctx, w03, 6, 'lading quantity');
    if (packages !== undefined) shipment.packageCount = packages;
    const weight = readNumber(ctx, w03, 2, 'weight');
    const unit = readCode(ctx, w03, 3, WEIGHT_UOM_MAP, 'weight unit');
    if (weight !== undefined && unit !== undefined) shipment.weight = { value: weight, unit };
    const w27 = find(body, 'W27');
    const scac = val(w27, 2);
    if (scac !== undefined) {
      order.carrier = { scac };
      const name = val(w27, 3);
      if (name !== undefined) order.carrier.name = name;
    }
    return order;
  },
  write(order) {
    const shipment = order.shipment;
    if (!shipment) {
      throw new PermanentError(
        'invalid-input',
        `A 945 confirms a shipment: fulfillment order ${order.fulfillmentOrderNumber} has no "shipment".`,
      );
    }
    const out: Out[] = [
      [
        'W06',
        'F',
        order.fulfillmentOrderNumber,
        d8(shipment.shipDate),
        '',
        '',
        order.salesOrderNumber ?? '',
      ],
    ];
    out.push(...writeParty('ST', order.shipTo));
    out.push(...writeParty('WH', order.warehouse));
    if (shipment.billOfLading) out.push(['N9', 'BM', shipment.billOfLading]);
    if (shipment.trackingNumber) out.push(['N9', 'CN', shipment.trackingNumber]);
    if (order.carrier) out.push(['W27', 'M', order.carrier.scac, order.carrier.name ?? '']);
    let units = 0;
    order.lines.forEach((line, index) => {
      const shipped = line.shippedQuantity ?? 0;
      units += shipped;
      out.push(['LX', String(index + 1)]);
      out.push([
        'W12',
        shipped >= line.quantity ? 'CC' : 'CP',
        real(line.quantity),
        real(shipped),
        real(line.quantity - shipped),
        must(UNIT_MAP, line.unit, 'Unit'),
        line.gtin ?? '',
        'SK',
        line.sku,
      ]);
      if (line.description) out.push(['G69', line.description]);
      out.push(['N9', 'LI', line.lineNumber]);
    });
    out.push([
      'W03',
      real(units),
      shipment.weight ? real(shipment.weight.value) : '',
      shipment.weight ? must(WEIGHT_UOM_MAP, shipment.weight.unit, 'Weight unit') : '',
      '',
      '',
      shipment.packageCount === undefined ? '' : String(shipment.packageCount),
      shipment.packageCount === undefined ? '' : 'CT',
    ]);
    return out;
  },
});
