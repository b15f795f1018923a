import type { Request, Response, Router } from 'express';
import {
  BadRequest,
  type Fields,
  isRecord,
  list,
  num,
  oneOf,
  optNum,
  optStr,
  record,
  str,
} from '../kernel/body';
import { pad } from '../kernel/clock';
import { sscc } from '../kernel/gs1';
import { page } from '../kernel/paging';
import type { SystemRuntime, SystemSpec } from '../kernel/service';
import { masterDataApi, masterDataDrift } from './master-data';
import {
  poundsPer,
  statusText,
  type WmsAddress,
  type WmsCarton,
  type WmsOrder,
  type WmsState,
  type WmsStatusCode,
} from './model';

type Wms = SystemRuntime<WmsState>;

const uoms = ['EA', 'CS', 'PL'] as const;

function address(value: unknown): WmsAddress {
  const a = record(value, 'shipTo');
  const country = str(a, 'country', 'shipTo.country');
  if (!/^[A-Z]{2}$/.test(country))
    throw new BadRequest('shipTo.country must be an ISO 3166 alpha-2 code');
  return {
    name: str(a, 'name', 'shipTo.name'),
    street: str(a, 'street', 'shipTo.street'),
    city: str(a, 'city', 'shipTo.city'),
    postalCode: str(a, 'postalCode', 'shipTo.postalCode'),
    country,
  };
}

function view(order: WmsOrder) {
  return { ...order, statusText: statusText[order.statusCode] };
}

function find(wms: Wms, fields: Fields): WmsOrder {
  const id = optStr(fields, 'orderId');
  const order = id
    ? wms.state.orders[id]
    : Object.values(wms.state.orders).find(
        (o) => o.orderRef === str(fields, 'orderRef', 'orderId or orderRef'),
      );
  if (!order) throw new BadRequest('fulfillment order not found', 404, 'ORDER_NOT_FOUND');
  return order;
}

function advance(wms: Wms, order: WmsOrder, to: WmsStatusCode, from: WmsStatusCode[]): void {
  if (!from.includes(order.statusCode)) {
    throw new BadRequest(
      `order ${order.orderId} is ${statusText[order.statusCode]}; cannot become ${statusText[to]}`,
      409,
      'INVALID_STATUS',
    );
  }
  order.statusCode = to;
  order.updatedAt = wms.clock.now().toISOString();
}

function header(order: WmsOrder, eventType: string, eventId: string, at: string) {
  return {
    eventId,
    eventType,
    eventTime: at,
    orderId: order.orderId,
    orderRef: order.orderRef,
    pickTicket: order.pickTicket,
    warehouse: order.warehouse,
    statusCode: order.statusCode,
    shipTo: order.shipTo,
  };
}

function pick(wms: Wms, order: WmsOrder, shorts: Fields): void {
  advance(wms, order, 30, [10, 20]);
  for (const line of order.lines) {
    const short = Math.min(line.orderedQty, Math.max(0, Number(shorts[line.sku] ?? 0)));
    line.pickedQty = line.orderedQty - short;
  }
  const at = order.updatedAt;
  wms.events.emit('wms/pick-confirmed', (id) => ({
    json: {
      ...header(order, 'PICK_CONFIRMED', id, at),
      lines: order.lines.map((l) => ({
        lineNo: l.lineNo,
        sku: l.sku,
        orderedQty: l.orderedQty,
        pickedQty: l.pickedQty,
        shortQty: l.orderedQty - l.pickedQty,
        uom: l.uom,
      })),
    },
  }));
}

function pack(wms: Wms, order: WmsOrder, cartonCount: number): void {
  advance(wms, order, 40, [30]);
  const picked = order.lines.filter((l) => l.pickedQty > 0);
  const count = Math.max(1, Math.min(cartonCount, picked.length || 1));
  const cartons: WmsCarton[] = [];
  for (let c = 0; c < count; c += 1) {
    const lines = picked
      .filter((_, i) => i % count === c)
      .map((l) => ({ sku: l.sku, qty: l.pickedQty }));
    const net = picked
      .filter((_, i) => i % count === c)
      .reduce((sum, l) => sum + l.pickedQty * poundsPer[l.uom], 0);
    cartons.push({
      cartonId: sscc('0614141', wms.seq.next('sscc')),
      weightLb: Math.round((net + 0.8) * 10) / 10,
      lengthIn: 24,
      widthIn: 16,
      heightIn: 12,
      lines,
    });
  }
  order.cartons = cartons;
  const at = order.updatedAt;
  wms.events.emit('wms/pack-confirmed', (id) => ({
    json: {
      ...header(order, 'PACK_CONFIRMED', id, at),
      cartonCount: cartons.length,
      totalWeightLb: Math.round(cartons.reduce((s, c) => s + c.weightLb, 0) * 10) / 10,
      cartons,
    },
  }));
}

function ship(wms: Wms, order: WmsOrder, fields: Fields): void {
  advance(wms, order, 50, [40]);
  for (const line of order.lines) line.shippedQty = line.pickedQty;
  const at = order.updatedAt;
  wms.events.emit('wms/ship-confirmed', (id) => ({
    json: {
      ...header(order, 'SHIP_CONFIRMED', id, at),
      shippedAt: at,
      carrierCode: optStr(fields, 'carrierCode') ?? null,
      trackingNumber: optStr(fields, 'trackingNumber') ?? null,
      complete: order.lines.every((l) => l.shippedQty === l.orderedQty),
      totalWeightLb: Math.round(order.cartons.reduce((s, c) => s + c.weightLb, 0) * 10) / 10,
      cartons: order.cartons,
      lines: order.lines.map((l) => ({
        lineNo: l.lineNo,
        sku: l.sku,
        orderedQty: l.orderedQty,
        shippedQty: l.shippedQty,
        backorderedQty: l.orderedQty - l.shippedQty,
        uom: l.uom,
      })),
    },
  }));
}

function adjust(wms: Wms, fields: Fields) {
  const warehouse = str(fields, 'warehouse');
  const sku = str(fields, 'sku');
  const qty = num(fields, 'adjustmentQty');
  if (!Number.isInteger(qty) || qty === 0) {
    throw new BadRequest('adjustmentQty must be a non-zero integer');
  }
  const reasonCode = oneOf(
    optStr(fields, 'reasonCode') ?? 'CC',
    ['CC', 'DM', 'FD', 'EX'],
    'reasonCode',
  );
  const key = `${warehouse}/${sku}`;
  const before = wms.state.inventory[key] ?? 0;
  wms.state.inventory[key] = before + qty;
  return {
    adjustmentId: `ADJ-${pad(wms.seq.next('adjustment'), 6)}`,
    warehouse,
    sku,
    adjustmentQty: qty,
    uom: 'EA',
    onHandBefore: before,
    onHandAfter: before + qty,
    reasonCode,
  };
}

function api(router: Router, wms: Wms): void {
  router.post('/fulfillment-orders', (req: Request, res: Response) => {
    const fields = record(req.body, 'fulfillment order');
    const now = wms.clock.now().toISOString();
    const n = wms.seq.next('order');
    const order: WmsOrder = {
      orderId: `FO-${pad(n, 6)}`,
      pickTicket: `PT${pad(n, 8)}`,
      orderRef: str(fields, 'orderRef'),
      warehouse: str(fields, 'warehouse'),
      priority: oneOf(optStr(fields, 'priority') ?? 'NORMAL', ['HIGH', 'NORMAL'], 'priority'),
      statusCode: 20,
      shipTo: address(fields.shipTo),
      requestedShipDate: optStr(fields, 'requestedShipDate') ?? null,
      lines: list(fields, 'lines').map((line, i) => {
        const qty = num(line, 'qty', `lines[${i}].qty`);
        if (!Number.isInteger(qty) || qty <= 0)
          throw new BadRequest(`lines[${i}].qty must be a positive integer`);
        return {
          lineNo: i + 1,
          sku: str(line, 'sku', `lines[${i}].sku`),
          orderedQty: qty,
          pickedQty: 0,
          shippedQty: 0,
          uom: oneOf(str(line, 'uom', `lines[${i}].uom`), uoms, `lines[${i}].uom`),
        };
      }),
      cartons: [],
      createdAt: now,
      updatedAt: now,
    };
    wms.state.orders[order.orderId] = order;
    res.status(201).json(view(order));
  });

  router.get('/fulfillment-orders', (req: Request, res: Response) => {
    const ref = typeof req.query.orderRef === 'string' ? req.query.orderRef : undefined;
    const orders = Object.values(wms.state.orders).filter(
      (o) => ref === undefined || o.orderRef === ref,
    );
    res.json({
      data: page(req, orders, { offset: 'offset', limit: 'limit' }).map(view),
      count: orders.length,
    });
  });

  router.get('/fulfillment-orders/:orderId', (req: Request, res: Response) => {
    res.json(view(find(wms, { orderId: String(req.params.orderId) })));
  });

  router.patch('/fulfillment-orders/:orderId', (req: Request, res: Response) => {
    const order = find(wms, { orderId: String(req.params.orderId) });
    if (order.statusCode >= 40) {
      throw new BadRequest(
        `order ${order.orderId} is already ${statusText[order.statusCode]}; the ship-to can no longer change`,
        409,
        'ORDER_LOCKED',
      );
    }
    const fields = record(req.body, 'change');
    if (fields.shipTo !== undefined) order.shipTo = address(fields.shipTo);
    const priority = optStr(fields, 'priority');
    if (priority) order.priority = oneOf(priority, ['HIGH', 'NORMAL'], 'priority');
    order.updatedAt = wms.clock.now().toISOString();
    res.json(view(order));
  });

  router.post('/fulfillment-orders/:orderId/cancel', (req: Request, res: Response) => {
    const order = find(wms, { orderId: String(req.params.orderId) });
    advance(wms, order, 90, [10, 20, 30]);
    res.json(view(order));
  });

  router.post('/receipt-expectations', (req: Request, res: Response) => {
    const fields = record(req.body, 'inbound receipt');
    const receipt = {
      receiptId: `RCV-${pad(wms.seq.next('receipt'), 6)}`,
      asnNumber: str(fields, 'asnNumber'),
      poNumber: str(fields, 'poNumber'),
      warehouse: str(fields, 'warehouse'),
      status: 'EXPECTED' as const,
      lines: list(fields, 'lines').map((line, i) => ({
        lineNo: i + 1,
        sku: str(line, 'sku', `lines[${i}].sku`),
        expectedQty: num(line, 'expectedQty', `lines[${i}].expectedQty`),
        receivedQty: 0,
        uom: optStr(line, 'uom') ?? 'EA',
        lpn: optStr(line, 'lpn') ?? null,
      })),
      createdAt: wms.clock.now().toISOString(),
    };
    wms.state.receipts[receipt.receiptId] = receipt;
    res.status(201).json(receipt);
  });

  router.get('/receipt-expectations/:receiptId', (req: Request, res: Response) => {
    const receipt = wms.state.receipts[String(req.params.receiptId)];
    if (!receipt) throw new BadRequest('receipt not found', 404, 'RECEIPT_NOT_FOUND');
    res.json(receipt);
  });

  router.post('/inventory-adjustments', (req: Request, res: Response) => {
    const fields = record(req.body, 'inventory adjustment');
    const adjustment = adjust(wms, fields);
    res.status(201).json(adjustment);
  });

  router.get('/inventory', (req: Request, res: Response) => {
    const sku = typeof req.query.sku === 'string' ? req.query.sku : undefined;
    const items = Object.entries(wms.state.inventory)
      .map(([key, onHand]) => {
        const [warehouse = '', itemSku = ''] = key.split('/');
        return { warehouse, sku: itemSku, onHandQty: onHand, uom: 'EA' };
      })
      .filter((i) => sku === undefined || i.sku === sku)
      .sort((a, b) => `${a.warehouse}/${a.sku}`.localeCompare(`${b.warehouse}/${b.sku}`));
    res.json({ data: page(req, items, { offset: 'offset', limit: 'limit' }), count: items.length });
  });

  masterDataApi(router, wms);
}

function simulate(router: Router, wms: Wms): void {
  const body = (req: Request) => record(req.body, 'simulation');
  const shorts = (fields: Fields) => (isRecord(fields.shorts) ? fields.shorts : {});

  router.post('/pick', (req: Request, res: Response) => {
    const fields = body(req);
    const order = find(wms, fields);
    pick(wms, order, shorts(fields));
    res.json(view(order));
  });

  router.post('/pack', (req: Request, res: Response) => {
    const fields = body(req);
    const order = find(wms, fields);
    pack(wms, order, optNum(fields, 'cartons') ?? 1);
    res.json(view(order));
  });

  router.post('/ship', (req: Request, res: Response) => {
    const fields = body(req);
    const order = find(wms, fields);
    ship(wms, order, fields);
    res.json(view(order));
  });

  router.post('/fulfill', (req: Request, res: Response) => {
    const fields = body(req);
    const order = find(wms, fields);
    pick(wms, order, shorts(fields));
    pack(wms, order, optNum(fields, 'cartons') ?? 1);
    ship(wms, order, fields);
    res.json(view(order));
  });

  router.post('/receive', (req: Request, res: Response) => {
    const fields = body(req);
    const receipt = wms.state.receipts[str(fields, 'receiptId')];
    if (!receipt) throw new BadRequest('receipt not found', 404, 'RECEIPT_NOT_FOUND');
    if (receipt.status === 'RECEIVED')
      throw new BadRequest('receipt already received', 409, 'INVALID_STATUS');
    const received = isRecord(fields.received) ? fields.received : {};
    for (const line of receipt.lines) {
      const qty = received[line.sku];
      line.receivedQty = typeof qty === 'number' ? qty : line.expectedQty;
      const key = `${receipt.warehouse}/${line.sku}`;
      wms.state.inventory[key] = (wms.state.inventory[key] ?? 0) + line.receivedQty;
    }
    receipt.status = 'RECEIVED';
    const at = wms.clock.now().toISOString();
    wms.events.emit('wms/receipt-confirmed', (eventId) => ({
      json: { eventId, eventType: 'RECEIPT_CONFIRMED', eventTime: at, ...receipt },
    }));
    res.json(receipt);
  });

  router.post('/adjust', (req: Request, res: Response) => {
    const adjustment = adjust(wms, body(req));
    const at = wms.clock.now().toISOString();
    wms.events.emit('wms/inventory-adjusted', (eventId) => ({
      json: { eventId, eventType: 'INVENTORY_ADJUSTED', eventTime: at, ...adjustment },
    }));
    res.json(adjustment);
  });
}

/** A Manhattan-like WMS: bearer auth, camelCase, pick tickets, numeric statuses, pounds. */
export const wmsSpec: SystemSpec<WmsState> = {
  name: 'wms',
  initialState: () => ({ orders: {}, receipts: {}, inventory: {} }),
  errorBody: (status, code, message) => ({
    errors: [{ errorCode: code, message, httpStatus: status }],
  }),
  api,
  simulate,
  drift: masterDataDrift,
};
