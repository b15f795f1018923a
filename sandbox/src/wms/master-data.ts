import type { Request, Response, Router } from 'express';
import { BadRequest, type Fields, num, oneOf, optNum, optStr, record, str } from '../kernel/body';
import { page } from '../kernel/paging';
import type { SystemRuntime } from '../kernel/service';
import type { WmsItem, WmsLocation, WmsState, WmsStatusCode } from './model';

type Wms = SystemRuntime<WmsState>;

const statusCodes = [10, 20, 30, 40, 50, 90] as const;

function items(wms: Wms): Record<string, WmsItem> {
  wms.state.items ??= {};
  return wms.state.items;
}

function locations(wms: Wms): Record<string, WmsLocation> {
  wms.state.locations ??= {};
  return wms.state.locations;
}

function item(sku: string, f: Fields): WmsItem {
  return {
    sku,
    description: optStr(f, 'description') ?? '',
    uom: oneOf(optStr(f, 'uom') ?? 'EA', ['EA', 'CS', 'PL'], 'uom'),
    weightLb: num(f, 'weightLb'),
    lengthIn: optNum(f, 'lengthIn') ?? 0,
    widthIn: optNum(f, 'widthIn') ?? 0,
    heightIn: optNum(f, 'heightIn') ?? 0,
    gtin: optStr(f, 'gtin') ?? '',
  };
}

function location(code: string, f: Fields): WmsLocation {
  const a = record(f.address ?? {}, 'address');
  return {
    code,
    name: str(f, 'name'),
    address: {
      street: optStr(a, 'street') ?? '',
      city: optStr(a, 'city') ?? '',
      postalCode: optStr(a, 'postalCode') ?? '',
      country: optStr(a, 'country') ?? '',
    },
    timeZone: optStr(f, 'timeZone') ?? 'UTC',
  };
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new BadRequest(`${what} not found`, 404, 'NOT_FOUND');
  return value;
}

/** Item and location master (*(http)* routes, paged by offset/limit). */
export function masterDataApi(router: Router, wms: Wms): void {
  router.get('/items', (req: Request, res: Response) => {
    const all = Object.values(items(wms)).sort((a, b) => a.sku.localeCompare(b.sku));
    res.json({ data: page(req, all, { offset: 'offset', limit: 'limit' }), count: all.length });
  });
  router.get('/items/:sku', (req: Request, res: Response) => {
    const sku = String(req.params.sku);
    res.json(found(items(wms)[sku], `Item ${sku}`));
  });
  /** Creates or replaces an item: how the item master (or a correction) reaches the WMS. */
  router.put('/items/:sku', (req: Request, res: Response) => {
    const sku = String(req.params.sku);
    const next = item(sku, record(req.body, 'item'));
    items(wms)[sku] = next;
    res.json(next);
  });
  router.get('/locations', (req: Request, res: Response) => {
    const all = Object.values(locations(wms)).sort((a, b) => a.code.localeCompare(b.code));
    res.json({ data: page(req, all, { offset: 'offset', limit: 'limit' }), count: all.length });
  });
  router.put('/locations/:code', (req: Request, res: Response) => {
    const code = String(req.params.code);
    const next = location(code, record(req.body, 'location'));
    locations(wms)[code] = next;
    res.json(next);
  });
}

/**
 * Drift behind the API's back (`/_control/drift`): an order's status code, on-hand quantities
 * (also how a test seeds them), any item field.
 */
export function masterDataDrift(router: Router, wms: Wms): void {
  router.post('/orders/:orderRef', (req: Request, res: Response) => {
    const ref = String(req.params.orderRef);
    const order = found(
      Object.values(wms.state.orders).find((o) => o.orderRef === ref || o.orderId === ref),
      `Order ${ref}`,
    );
    const code = num(record(req.body, 'drift'), 'statusCode');
    if (!(statusCodes as readonly number[]).includes(code))
      throw new BadRequest(`statusCode ${code} is not one of ${statusCodes.join(', ')}`);
    order.statusCode = code as WmsStatusCode;
    res.json({ orderId: order.orderId, orderRef: order.orderRef, statusCode: order.statusCode });
  });
  router.post('/inventory', (req: Request, res: Response) => {
    const body = record(req.body, 'drift');
    const rows = Array.isArray(body.inventory) ? body.inventory : [];
    for (const [i, row] of rows.entries()) {
      const r = record(row, `inventory[${i}]`);
      wms.state.inventory[`${str(r, 'warehouse')}/${str(r, 'sku')}`] = num(r, 'onHandQty');
    }
    res.json({ set: rows.length });
  });
  router.post('/items/:sku', (req: Request, res: Response) => {
    const sku = String(req.params.sku);
    const current = found(items(wms)[sku], `Item ${sku}`);
    const next = item(sku, { ...current, ...record(req.body, 'drift') });
    items(wms)[sku] = next;
    res.json(next);
  });
}
