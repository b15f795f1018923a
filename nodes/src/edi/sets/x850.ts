/**
 * 850 Purchase Order <-> SalesOrder.
 * BEG (03 order number, 05 date), CUR, DTM*002 (delivery requested), TD5 (03 SCAC, 05 carrier
 * name, 12 service level), N1 loops (BY buyer, ST ship-to, BT bill-to), PO1 loop (01 line,
 * 02 quantity, 03 unit, 04 unit price, product ids as qualifier/value pairs: SK sku, UK/EN/UP
 * GTIN) with PID*F (description), CTT.
 */
import type { OrderLine, SalesOrder } from '../../canonical/types';
import { SERVICE_LEVEL_MAP, UNIT_MAP } from '../code-maps';
import {
  d8,
  find,
  mappingProblem,
  must,
  need,
  type Out,
  opt,
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

export const x850 = defineSet<SalesOrder>({
  set: '850',
  functionalId: 'PO',
  title: 'Purchase Order',
  read(ctx, body) {
    const beg = required(ctx, body, 'BEG', 'beginning segment for purchase order');
    if (!beg) return undefined;
    const lines: OrderLine[] = [];
    let line: OrderLine | undefined;
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'PO1') {
        const ids = readProductIds(ctx, s, 6);
        line = {
          lineNumber: val(s, 1) ?? String(lines.length + 1),
          sku: ids.sku ?? '',
          quantity: readNumber(ctx, s, 2, 'quantity ordered') ?? 0,
          unit: readCode(ctx, s, 3, UNIT_MAP, 'unit of measure', 'EA'),
        };
        if (ids.sku === undefined)
          mappingProblem(ctx, s, 'PO107', `PO1 has no product id (PO106/07) ${at(s)}.`);
        if (ids.gtin !== undefined) line.gtin = ids.gtin;
        if (ids.productIds) line.productIds = ids.productIds;
        const price = readNumber(ctx, s, 4, 'unit price');
        if (price !== undefined) line.unitPrice = price;
        lines.push(line);
      } else if (s.id === 'PID' && line && val(s, 1) === 'F') {
        const description = val(s, 5);
        if (description !== undefined) line.description = description;
      }
    });
    const shipTo = parties.get('ST');
    const customer = parties.get('BY');
    if (!shipTo?.address) {
      mappingProblem(
        ctx,
        undefined,
        'N1',
        'The 850 has no ship-to (N1*ST) with an address (N3, N4).',
        {
          code: 'missing-segment',
        },
      );
    }
    if (lines.length === 0) {
      mappingProblem(ctx, undefined, 'PO1', 'The 850 has no line items (PO1).', {
        code: 'missing-segment',
      });
    }
    const dtm = find(body, 'DTM', '002');
    const orderDate =
      readDate(ctx, beg, 5, 'purchase order date') ?? need(ctx, beg, 5, 'purchase order date');
    if (!dtm) {
      mappingProblem(
        ctx,
        beg,
        'DTM',
        `The 850 has no DTM*002 (delivery requested); the order date is used ${at(beg)}.`,
        {
          severity: 'warning',
        },
      );
    }
    if (!customer) {
      mappingProblem(
        ctx,
        undefined,
        'N1',
        'The 850 has no buyer (N1*BY); the ship-to is taken as the customer.',
        {
          severity: 'warning',
        },
      );
    }
    const order: SalesOrder = {
      orderNumber: need(ctx, beg, 3, 'purchase order number'),
      orderDate,
      requestedDate: readDate(ctx, dtm, 2, 'delivery requested date') ?? orderDate,
      customer: customer ?? { name: shipTo?.name ?? '' },
      shipTo: {
        ...(shipTo ?? { name: '' }),
        address: shipTo?.address ?? { lines: [], city: '', country: '' },
      },
      lines,
    };
    const billTo = parties.get('BT');
    if (billTo) order.billTo = billTo;
    const td5 = find(body, 'TD5');
    const serviceLevel = readCode(ctx, td5, 12, SERVICE_LEVEL_MAP, 'service level');
    if (serviceLevel) order.serviceLevel = serviceLevel;
    const scac = val(td5, 3);
    if (scac !== undefined) {
      order.carrier = { scac };
      const name = val(td5, 5);
      if (name !== undefined) order.carrier.name = name;
    }
    const currency = val(find(body, 'CUR', 'BY'), 2);
    if (currency !== undefined) order.currency = currency;
    return order;
  },
  write(order) {
    const out: Out[] = [['BEG', '00', 'SA', order.orderNumber, '', d8(order.orderDate)]];
    if (order.currency) out.push(['CUR', 'BY', order.currency]);
    out.push(['DTM', '002', d8(order.requestedDate)]);
    if (order.carrier || order.serviceLevel) {
      out.push([
        'TD5',
        '',
        order.carrier ? '2' : '',
        order.carrier?.scac ?? '',
        '',
        order.carrier?.name ?? '',
        '',
        '',
        '',
        '',
        '',
        '',
        opt(SERVICE_LEVEL_MAP, order.serviceLevel, 'Service level'),
      ]);
    }
    out.push(...writeParty('BY', order.customer));
    out.push(...writeParty('ST', order.shipTo));
    if (order.billTo) out.push(...writeParty('BT', order.billTo));
    for (const line of order.lines) {
      out.push([
        'PO1',
        line.lineNumber,
        real(line.quantity),
        must(UNIT_MAP, line.unit, 'Unit'),
        line.unitPrice === undefined ? '' : real(line.unitPrice),
        '',
        ...writeProductIds(line),
      ]);
      if (line.description) out.push(['PID', 'F', '', '', '', line.description]);
    }
    out.push(['CTT', String(order.lines.length)]);
    return out;
  },
});
