import type { Request, Response, Router } from 'express';
import { BadRequest, type Fields, num, oneOf, optNum, optStr, record, str } from '../kernel/body';
import { page } from '../kernel/paging';
import type { SystemRuntime } from '../kernel/service';
import {
  type ErpCarrier,
  type ErpMaterial,
  type ErpPlant,
  type ErpState,
  orderStatuses,
} from './model';

type Erp = SystemRuntime<ErpState>;

const sapPaging = { offset: '$skip', limit: '$top' };

function materials(erp: Erp): Record<string, ErpMaterial> {
  erp.state.materials ??= {};
  return erp.state.materials;
}

function plants(erp: Erp): Record<string, ErpPlant> {
  erp.state.plants ??= {};
  return erp.state.plants;
}

function carriers(erp: Erp): Record<string, ErpCarrier> {
  erp.state.carriers ??= {};
  return erp.state.carriers;
}

function stock(erp: Erp): Record<string, number> {
  erp.state.stock ??= {};
  return erp.state.stock;
}

function material(matnr: string, f: Fields): ErpMaterial {
  return {
    MATNR: matnr,
    MAKTX: optStr(f, 'MAKTX') ?? '',
    MEINS: oneOf(optStr(f, 'MEINS') ?? 'ST', ['ST', 'KAR', 'PAL', 'KG'], 'MEINS'),
    BRGEW: num(f, 'BRGEW'),
    GEWEI: 'KG',
    LAENG: optNum(f, 'LAENG') ?? 0,
    BREIT: optNum(f, 'BREIT') ?? 0,
    HOEHE: optNum(f, 'HOEHE') ?? 0,
    MEABM: 'CM',
    EAN11: optStr(f, 'EAN11') ?? '',
  };
}

function plant(werks: string, f: Fields): ErpPlant {
  return {
    WERKS: werks,
    NAME1: str(f, 'NAME1'),
    STRAS: optStr(f, 'STRAS') ?? '',
    ORT01: optStr(f, 'ORT01') ?? '',
    PSTLZ: optStr(f, 'PSTLZ') ?? '',
    LAND1: optStr(f, 'LAND1') ?? '',
    TZONE: optStr(f, 'TZONE') ?? 'UTC',
  };
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new BadRequest(`${what} does not exist`, 404, 'M3/305');
  return value;
}

/** Material, plant and carrier master and stock (*(http)* routes, SAP-like, paged by $skip/$top). */
export function masterDataApi(router: Router, erp: Erp): void {
  router.get('/materials', (req: Request, res: Response) => {
    const all = Object.values(materials(erp)).sort((a, b) => a.MATNR.localeCompare(b.MATNR));
    res.json({ d: { results: page(req, all, sapPaging), __count: all.length } });
  });
  router.get('/materials/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    res.json(found(materials(erp)[id], `Material ${id}`));
  });
  router.put('/materials/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    const m = material(id, record(req.body, 'The material'));
    materials(erp)[id] = m;
    res.json(m);
  });

  router.get('/stock', (req: Request, res: Response) => {
    const all = Object.entries(stock(erp))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, labst]) => {
        const [MATNR = '', WERKS = ''] = key.split('/');
        return { MATNR, WERKS, LABST: labst, MEINS: materials(erp)[MATNR]?.MEINS ?? 'ST' };
      });
    res.json({ d: { results: page(req, all, sapPaging), __count: all.length } });
  });

  router.get('/plants', (req: Request, res: Response) => {
    const all = Object.values(plants(erp)).sort((a, b) => a.WERKS.localeCompare(b.WERKS));
    res.json({ d: { results: page(req, all, sapPaging), __count: all.length } });
  });
  router.put('/plants/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    const p = plant(id, record(req.body, 'The plant'));
    plants(erp)[id] = p;
    res.json(p);
  });

  router.get('/carriers', (req: Request, res: Response) => {
    const all = Object.values(carriers(erp)).sort((a, b) => a.LIFNR.localeCompare(b.LIFNR));
    res.json({ d: { results: page(req, all, sapPaging), __count: all.length } });
  });
  router.put('/carriers/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    const f = record(req.body, 'The carrier');
    const c: ErpCarrier = {
      LIFNR: id,
      SCAC: str(f, 'SCAC'),
      NAME1: optStr(f, 'NAME1') ?? '',
      VSART: optStr(f, 'VSART') ?? '',
    };
    carriers(erp)[id] = c;
    res.json(c);
  });
}

/**
 * Drift behind the business API's back (`/_control/drift`): an order status, stock quantities
 * (also how a test seeds stock), any material field.
 */
export function masterDataDrift(router: Router, erp: Erp): void {
  router.post('/orders/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    const order = found(erp.state.orders[id], `Sales document ${id}`);
    order.STATUS = oneOf(str(record(req.body, 'drift'), 'STATUS'), orderStatuses, 'STATUS');
    res.json({ VBELN: order.VBELN, STATUS: order.STATUS });
  });
  router.post('/stock', (req: Request, res: Response) => {
    const body = record(req.body, 'drift');
    const rows = Array.isArray(body.stock) ? body.stock : [];
    for (const [i, row] of rows.entries()) {
      const r = record(row, `stock[${i}]`);
      stock(erp)[`${str(r, 'MATNR')}/${str(r, 'WERKS')}`] = num(r, 'LABST');
    }
    res.json({ set: rows.length });
  });
  router.post('/materials/:id', (req: Request, res: Response) => {
    const id = String(req.params.id);
    const current = found(materials(erp)[id], `Material ${id}`);
    const m = material(id, { ...current, ...record(req.body, 'drift') });
    materials(erp)[id] = m;
    res.json(m);
  });
}
