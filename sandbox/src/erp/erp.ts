import type { Request, Response, Router } from 'express';
import {
  BadRequest,
  type Fields,
  list,
  num,
  oneOf,
  optNum,
  optStr,
  record,
  str,
} from '../kernel/body';
import { pad } from '../kernel/clock';
import { page } from '../kernel/paging';
import type { SystemRuntime, SystemSpec } from '../kernel/service';
import { masterDataApi, masterDataDrift } from './master-data';
import {
  type ErpAddress,
  type ErpDocument,
  type ErpOrder,
  type ErpState,
  orderStatuses,
} from './model';

type Erp = SystemRuntime<ErpState>;

const units = ['ST', 'KAR', 'PAL', 'KG'] as const;

function sapDate(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

function address(value: unknown): ErpAddress {
  const a = record(value, 'WE');
  return {
    NAME1: str(a, 'NAME1', 'WE.NAME1'),
    STRAS: str(a, 'STRAS', 'WE.STRAS'),
    ORT01: str(a, 'ORT01', 'WE.ORT01'),
    PSTLZ: str(a, 'PSTLZ', 'WE.PSTLZ'),
    LAND1: optStr(a, 'LAND1') ?? '',
  };
}

function orderOf(erp: Erp, vbeln: string): ErpOrder {
  const order = erp.state.orders[vbeln];
  if (!order) throw new BadRequest(`Sales document ${vbeln} does not exist`, 404, 'V1/302');
  return order;
}

function post(erp: Erp, blart: string, fields: Record<string, unknown>): ErpDocument {
  const doc: ErpDocument = {
    BELNR: `${blart === 'WE' || blart === 'WI' ? '50' : '51'}${pad(erp.seq.next(`doc-${blart}`), 8)}`,
    BLART: blart,
    BUDAT: sapDate(erp.clock.now()),
    ...fields,
  };
  erp.state.documents.push(doc);
  return doc;
}

/** The ERP's outbound business event for an order (its event format, not its API format). */
function orderEvent(erp: Erp, event: 'order.released' | 'order.changed', order: ErpOrder): void {
  const path = event === 'order.released' ? 'erp/order-released' : 'erp/order-changed';
  erp.events.emit(path, (eventId) => ({
    json: {
      event,
      eventId,
      occurredAt: erp.clock.now().toISOString(),
      order: {
        number: order.VBELN,
        revision: order.REVISION,
        status: order.LIFSK ? 'BLOCKED' : 'RELEASED',
        customer: { id: order.KUNNR, name: order.KUNNR_NAME },
        shipFrom: order.WERKS,
        serviceLevel: order.VSBED === '02' ? 'EXPRESS' : 'STANDARD',
        requestedDate: isoDate(order.VDATU),
        shipTo: {
          name: order.WE.NAME1,
          street: order.WE.STRAS,
          city: order.WE.ORT01,
          postalCode: order.WE.PSTLZ,
          ...(order.WE.LAND1 ? { countryCode: order.WE.LAND1 } : {}),
        },
        lines: order.ITEMS.map((item) => ({
          line: Number(item.POSNR),
          itemNumber: item.MATNR,
          quantity: item.KWMENG,
          unit: item.VRKME,
          grossWeightKg: item.BRGEW,
        })),
      },
    },
  }));
}

function createOrder(erp: Erp, fields: Fields): ErpOrder {
  const vbeln = optStr(fields, 'VBELN') ?? pad(100_000 + erp.seq.next('order'), 10);
  if (erp.state.orders[vbeln])
    throw new BadRequest(`Sales document ${vbeln} already exists`, 409, 'V1/001');
  const order: ErpOrder = {
    VBELN: vbeln,
    AUART: optStr(fields, 'AUART') ?? 'ZOR',
    KUNNR: str(fields, 'KUNNR'),
    KUNNR_NAME: optStr(fields, 'KUNNR_NAME') ?? '',
    WERKS: str(fields, 'WERKS'),
    VSBED: oneOf(optStr(fields, 'VSBED') ?? '01', ['01', '02'], 'VSBED'),
    VDATU: optStr(fields, 'VDATU') ?? sapDate(erp.clock.now()),
    STATUS: 'A',
    LIFSK: '',
    REVISION: 0,
    WE: address(fields.WE),
    ITEMS: list(fields, 'ITEMS').map((item, i) => ({
      POSNR: pad((i + 1) * 10, 6),
      MATNR: str(item, 'MATNR', `ITEMS[${i}].MATNR`),
      ARKTX: optStr(item, 'ARKTX') ?? '',
      KWMENG: num(item, 'KWMENG', `ITEMS[${i}].KWMENG`),
      VRKME: oneOf(str(item, 'VRKME', `ITEMS[${i}].VRKME`), units, `ITEMS[${i}].VRKME`),
      BRGEW: optNum(item, 'BRGEW') ?? 0,
      GEWEI: 'KG' as const,
    })),
    TDLNR: '',
    FREIGHT: null,
    STATUS_LOG: [],
    HOLDS: [],
    BILLING: [],
  };
  if (!/^\d{8}$/.test(order.VDATU)) throw new BadRequest('VDATU must be a date YYYYMMDD');
  erp.state.orders[vbeln] = order;
  return order;
}

function setStatus(erp: Erp, order: ErpOrder, status: string, reason: string): void {
  order.STATUS = oneOf(status, orderStatuses, 'status');
  order.STATUS_LOG.push({
    STATUS: order.STATUS,
    REASON: reason,
    AT: erp.clock.now().toISOString(),
  });
  if (order.STATUS === 'DLV') {
    // Delivery-related billing: this ERP bills whatever delivery it is told about, so a
    // duplicate DLV shows up as a second billing document (catching that is Crossdock's job).
    const number = `009${pad(erp.seq.next('billing'), 7)}`;
    const net = order.ITEMS.reduce((sum, item) => sum + item.KWMENG * 10, 0);
    erp.state.billing[number] = {
      VBELN_VF: number,
      VBELN: order.VBELN,
      FKDAT: sapDate(erp.clock.now()),
      NETWR: net,
      WAERK: 'EUR',
    };
    order.BILLING.push(number);
  }
}

function api(router: Router, erp: Erp): void {
  router.post('/orders', (req: Request, res: Response) => {
    const order = createOrder(erp, record(req.body, 'The sales order'));
    res
      .status(201)
      .json({ VBELN: order.VBELN, MESSAGE: `Sales order ${order.VBELN} has been saved` });
  });

  router.get('/orders', (req: Request, res: Response) => {
    const status = typeof req.query.STATUS === 'string' ? req.query.STATUS : undefined;
    const all = Object.values(erp.state.orders).filter((o) => !status || o.STATUS === status);
    res.json({
      d: { results: page(req, all, { offset: '$skip', limit: '$top' }), __count: all.length },
    });
  });

  router.get('/orders/:orderId', (req: Request, res: Response) => {
    res.json(orderOf(erp, String(req.params.orderId)));
  });

  router.patch('/orders/:orderId', (req: Request, res: Response) => {
    const order = orderOf(erp, String(req.params.orderId));
    const fields = record(req.body, 'The change');
    if (fields.WE === undefined) throw new BadRequest('Only WE (ship-to) can be changed');
    order.WE = address(fields.WE);
    if (order.REVISION > 0) {
      order.REVISION += 1;
      orderEvent(erp, 'order.changed', order);
    }
    res.json(order);
  });

  router.post('/orders/:orderId/release', (req: Request, res: Response) => {
    const order = orderOf(erp, String(req.params.orderId));
    order.REVISION += 1;
    if (order.STATUS === 'A') setStatus(erp, order, 'REL', 'released');
    orderEvent(erp, 'order.released', order);
    res.json({ VBELN: order.VBELN, REVISION: order.REVISION, STATUS: order.STATUS });
  });

  router.patch('/orders/:orderId/status', (req: Request, res: Response) => {
    const order = orderOf(erp, String(req.params.orderId));
    const fields = record(req.body, 'The status change');
    setStatus(erp, order, str(fields, 'status'), optStr(fields, 'reason') ?? '');
    res.json({ VBELN: order.VBELN, STATUS: order.STATUS, BILLING: order.BILLING });
  });

  router.put('/orders/:orderId/hold', (req: Request, res: Response) => {
    const order = orderOf(erp, String(req.params.orderId));
    const fields = record(req.body, 'The hold');
    const reason = str(fields, 'reason');
    order.LIFSK = optStr(fields, 'LIFSK') ?? '01';
    order.HOLDS.push({ LIFSK: order.LIFSK, REASON: reason, AT: erp.clock.now().toISOString() });
    res.json({ VBELN: order.VBELN, LIFSK: order.LIFSK });
  });

  router.delete('/orders/:orderId/hold', (req: Request, res: Response) => {
    const order = orderOf(erp, String(req.params.orderId));
    order.LIFSK = '';
    res.json({ VBELN: order.VBELN, LIFSK: order.LIFSK });
  });

  router.post('/purchase-orders', (req: Request, res: Response) => {
    const fields = record(req.body, 'The purchase order');
    const ebeln = optStr(fields, 'EBELN') ?? `45${pad(erp.seq.next('po'), 8)}`;
    erp.state.purchaseOrders[ebeln] = {
      EBELN: ebeln,
      LIFNR: str(fields, 'LIFNR'),
      WERKS: str(fields, 'WERKS'),
      ITEMS: list(fields, 'ITEMS').map((item, i) => ({
        EBELP: pad((i + 1) * 10, 5),
        MATNR: str(item, 'MATNR', `ITEMS[${i}].MATNR`),
        MENGE: num(item, 'MENGE', `ITEMS[${i}].MENGE`),
        MEINS: optStr(item, 'MEINS') ?? 'ST',
        WEMNG: 0,
      })),
    };
    res.status(201).json({ EBELN: ebeln });
  });

  router.get('/purchase-orders/:poId', (req: Request, res: Response) => {
    const po = erp.state.purchaseOrders[String(req.params.poId)];
    if (!po)
      throw new BadRequest(`Purchasing document ${req.params.poId} does not exist`, 404, 'ME/006');
    res.json(po);
  });

  router.post('/goods-receipts', (req: Request, res: Response) => {
    const fields = record(req.body, 'The goods receipt');
    const ebeln = str(fields, 'EBELN');
    const po = erp.state.purchaseOrders[ebeln];
    if (!po) throw new BadRequest(`Purchasing document ${ebeln} does not exist`, 404, 'ME/006');
    const items = list(fields, 'ITEMS').map((item, i) => ({
      MATNR: str(item, 'MATNR', `ITEMS[${i}].MATNR`),
      ERFMG: num(item, 'ERFMG', `ITEMS[${i}].ERFMG`),
      ERFME: optStr(item, 'ERFME') ?? 'ST',
    }));
    const differences = po.ITEMS.map((poItem) => {
      const received = items
        .filter((i) => i.MATNR === poItem.MATNR)
        .reduce((s, i) => s + i.ERFMG, 0);
      poItem.WEMNG += received;
      return {
        EBELP: poItem.EBELP,
        MATNR: poItem.MATNR,
        MENGE: poItem.MENGE,
        WEMNG: poItem.WEMNG,
        DIFF: poItem.WEMNG - poItem.MENGE,
      };
    });
    const unknown = items.filter((i) => !po.ITEMS.some((p) => p.MATNR === i.MATNR));
    const doc = post(erp, 'WE', {
      EBELN: ebeln,
      LIFEX: optStr(fields, 'LIFEX') ?? '',
      ITEMS: items,
    });
    res.status(201).json({
      MBLNR: doc.BELNR,
      DIFFERENCES: differences.filter((d) => d.DIFF !== 0),
      UNPLANNED: unknown,
    });
  });

  router.post('/freight-accruals', (req: Request, res: Response) => {
    const fields = record(req.body, 'The freight accrual');
    const order = orderOf(erp, str(fields, 'VBELN'));
    const amount = num(fields, 'KBETR');
    order.TDLNR = str(fields, 'TDLNR');
    order.FREIGHT = { KBETR: amount, WAERS: optStr(fields, 'WAERS') ?? 'EUR' };
    const doc = post(erp, 'FA', {
      VBELN: order.VBELN,
      TKNUM: str(fields, 'TKNUM'),
      TDLNR: order.TDLNR,
      KBETR: amount,
      WAERS: order.FREIGHT.WAERS,
    });
    res.status(201).json({ BELNR: doc.BELNR, VBELN: order.VBELN, TDLNR: order.TDLNR });
  });

  router.post('/invoices', (req: Request, res: Response) => {
    const fields = record(req.body, 'The freight invoice');
    const block = optStr(fields, 'ZLSPR') ?? '';
    if (block !== '' && block !== 'R')
      throw new BadRequest('ZLSPR (payment block) must be empty or R');
    const doc = post(erp, 'KR', {
      XBLNR: str(fields, 'XBLNR'),
      LIFNR: str(fields, 'LIFNR'),
      TKNUM: optStr(fields, 'TKNUM') ?? '',
      VBELN: optStr(fields, 'VBELN') ?? '',
      WRBTR: num(fields, 'WRBTR'),
      PLANNED: optNum(fields, 'PLANNED') ?? null,
      VARIANCE: optNum(fields, 'VARIANCE') ?? null,
      WAERS: optStr(fields, 'WAERS') ?? 'EUR',
      ZLSPR: block,
    });
    res.status(201).json({ BELNR: doc.BELNR, ZLSPR: block });
  });

  router.post('/inventory-postings', (req: Request, res: Response) => {
    const fields = record(req.body, 'The inventory posting');
    const doc = post(erp, 'WI', {
      MATNR: str(fields, 'MATNR'),
      WERKS: str(fields, 'WERKS'),
      LGORT: optStr(fields, 'LGORT') ?? '0001',
      BWART: oneOf(str(fields, 'BWART'), ['701', '702'], 'BWART'),
      MENGE: num(fields, 'MENGE'),
      MEINS: optStr(fields, 'MEINS') ?? 'ST',
      SGTXT: optStr(fields, 'SGTXT') ?? '',
      XBLNR: optStr(fields, 'XBLNR') ?? '',
    });
    res.status(201).json({ MBLNR: doc.BELNR });
  });

  router.post('/work-items', (req: Request, res: Response) => {
    const fields = record(req.body, 'The work item');
    const doc = post(erp, 'WF', {
      GROUP: oneOf(str(fields, 'GROUP'), ['FINANCE', 'CUSTOMER_SERVICE', 'LOGISTICS'], 'GROUP'),
      VBELN: optStr(fields, 'VBELN') ?? '',
      TEXT: str(fields, 'TEXT'),
    });
    res.status(201).json({ WI_ID: doc.BELNR });
  });

  masterDataApi(router, erp);
}

function simulate(router: Router, erp: Erp): void {
  /** Creates and releases an order in one step, as a sales clerk would. */
  router.post('/release-order', (req: Request, res: Response) => {
    const order = createOrder(erp, record(req.body, 'The sales order'));
    order.REVISION = 1;
    setStatus(erp, order, 'REL', 'released');
    orderEvent(erp, 'order.released', order);
    res.status(201).json({ VBELN: order.VBELN });
  });
}

/** A SAP-like ERP: x-api-key auth, SAP field names, YYYYMMDD dates, decimal money. */
export const erpSpec: SystemSpec<ErpState> = {
  name: 'erp',
  initialState: () => ({ orders: {}, purchaseOrders: {}, billing: {}, documents: [] }),
  errorBody: (status, code, message) => ({
    error: { code, message: { lang: 'en', value: message }, innererror: { http_status: status } },
  }),
  api,
  simulate,
  drift: masterDataDrift,
};
