import type { Request, Response, Router } from 'express';
import {
  BadRequest,
  type Fields,
  isRecord,
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
import {
  milestoneStatus,
  seedCarriers,
  type TmsPackage,
  type TmsShipment,
  type TmsState,
  type TmsTender,
} from './model';

type Tms = SystemRuntime<TmsState>;

function shipmentOf(tms: Tms, id: string): TmsShipment {
  const shipment = tms.state.shipments[id];
  if (!shipment) throw new BadRequest(`shipment ${id} not found`, 404, 'SHIPMENT_NOT_FOUND');
  return shipment;
}

function packages(fields: Fields, tms: Tms): TmsPackage[] | undefined {
  if (fields.packages === undefined) return undefined;
  if (!Array.isArray(fields.packages)) throw new BadRequest('packages must be an array');
  return fields.packages.map((p, i) => {
    const pkg = record(p, `packages[${i}]`);
    const weight = num(pkg, 'weight_kg', `packages[${i}].weight_kg`);
    if (weight <= 0) throw new BadRequest(`packages[${i}].weight_kg must be positive`);
    return {
      package_id: optStr(pkg, 'package_id') ?? `PKG-${pad(tms.seq.next('package'), 6)}`,
      weight_kg: weight,
    };
  });
}

function applyWeights(shipment: TmsShipment, fields: Fields, tms: Tms): void {
  const pkgs = packages(fields, tms);
  if (pkgs) shipment.packages = pkgs;
  const gross = optNum(fields, 'gross_weight_kg');
  shipment.gross_weight_kg =
    gross ?? Math.round(shipment.packages.reduce((s, p) => s + p.weight_kg, 0) * 1000) / 1000;
}

function shipmentEvent(tms: Tms, type: string, shipment: TmsShipment, tender: TmsTender): void {
  tms.events.emit(`tms/shipment-${type}`, (eventId) => ({
    json: {
      event_id: eventId,
      event_type: `shipment.${type}`,
      occurred_at: tms.clock.now().toISOString(),
      shipment_id: shipment.shipment_id,
      order_ref: shipment.order_ref,
      status: shipment.status,
      tender_id: tender.tender_id,
      carrier_scac: tender.carrier_scac,
      offered_cost_cents: tender.offered_cost_cents,
      planned_cost_cents: shipment.planned_cost_cents,
      currency: shipment.currency,
      pro_number: shipment.pro_number,
      reason_code: tender.reason_code,
      gross_weight_kg: shipment.gross_weight_kg,
      rejected_scacs: shipment.tenders
        .filter((t) => t.status === 'REJECTED')
        .map((t) => t.carrier_scac),
    },
  }));
}

function respond(
  tms: Tms,
  shipment: TmsShipment,
  tender: TmsTender,
  accept: boolean,
  reason?: string,
): void {
  const now = tms.clock.now().toISOString();
  tender.responded_at = now;
  shipment.updated_at = now;
  if (accept) {
    tender.status = 'ACCEPTED';
    shipment.status = 'ACCEPTED';
    shipment.carrier_scac = tender.carrier_scac;
    shipment.planned_cost_cents = tender.offered_cost_cents;
    shipment.pro_number = `${tender.carrier_scac}${pad(tms.seq.next('pro'), 8)}`;
    shipmentEvent(tms, 'accepted', shipment, tender);
  } else {
    tender.status = 'REJECTED';
    tender.reason_code = reason ?? 'CAP';
    shipment.status = 'PLANNED';
    shipmentEvent(tms, 'rejected', shipment, tender);
  }
}

function tender(tms: Tms, shipment: TmsShipment, fields: Fields): TmsTender {
  if (shipment.status !== 'PLANNED') {
    throw new BadRequest(
      `shipment ${shipment.shipment_id} is ${shipment.status}; only PLANNED shipments can be tendered`,
      409,
      'INVALID_STATE',
    );
  }
  const exclude = new Set<string>(
    Array.isArray(fields.exclude_scacs) ? fields.exclude_scacs.map(String) : [],
  );
  for (const t of shipment.tenders) if (t.status === 'REJECTED') exclude.add(t.carrier_scac);
  const wanted = optStr(fields, 'carrier_scac');
  const cost = (c: { base_cents: number; per_kg_cents: number }) =>
    Math.round(c.base_cents + c.per_kg_cents * shipment.gross_weight_kg);
  const candidates = tms.state.carriers
    .filter((c) => (wanted ? c.carrier_scac === wanted : !exclude.has(c.carrier_scac)))
    .sort((a, b) => cost(a) - cost(b));
  const carrier = candidates[0];
  if (!carrier) {
    throw new BadRequest(
      `no carrier left to tender shipment ${shipment.shipment_id} to`,
      409,
      'NO_CARRIER',
    );
  }
  const offer: TmsTender = {
    tender_id: `TND-${pad(tms.seq.next('tender'), 6)}`,
    carrier_scac: carrier.carrier_scac,
    offered_cost_cents: cost(carrier),
    status: 'PENDING',
    reason_code: null,
    tendered_at: tms.clock.now().toISOString(),
    responded_at: null,
  };
  shipment.tenders.push(offer);
  shipment.status = 'TENDERED';
  shipmentEvent(tms, 'tendered', shipment, offer);
  if (carrier.tender_response !== 'manual') {
    respond(tms, shipment, offer, carrier.tender_response === 'accept');
  }
  return offer;
}

function api(router: Router, tms: Tms): void {
  router.post('/shipments', (req: Request, res: Response) => {
    const fields = record(req.body, 'shipment');
    const origin = record(fields.origin, 'origin');
    const destination = record(fields.destination, 'destination');
    const now = tms.clock.now().toISOString();
    const shipment: TmsShipment = {
      shipment_id: `SHP-${pad(tms.seq.next('shipment'), 6)}`,
      order_ref: str(fields, 'order_ref'),
      status: 'PLANNED',
      service_level: oneOf(
        optStr(fields, 'service_level') ?? 'STD',
        ['STD', 'EXP', 'ECO'],
        'service_level',
      ),
      origin: {
        location_code: str(origin, 'location_code', 'origin.location_code'),
        city: optStr(origin, 'city') ?? null,
        country_code: optStr(origin, 'country_code') ?? 'US',
      },
      destination: {
        name: optStr(destination, 'name') ?? null,
        street: optStr(destination, 'street') ?? null,
        city: optStr(destination, 'city') ?? null,
        postal_code: optStr(destination, 'postal_code') ?? null,
        country_code: str(destination, 'country_code', 'destination.country_code'),
      },
      packages: [],
      gross_weight_kg: 0,
      carrier_scac: null,
      pro_number: null,
      planned_cost_cents: null,
      currency: optStr(fields, 'currency') ?? 'USD',
      tenders: [],
      milestones: [],
      freight_audits: [],
      created_at: now,
      updated_at: now,
    };
    applyWeights(shipment, fields, tms);
    tms.state.shipments[shipment.shipment_id] = shipment;
    if (fields.auto_tender !== false) tender(tms, shipment, {});
    res.status(201).json(shipment);
  });

  router.get('/shipments', (req: Request, res: Response) => {
    const orderRef = typeof req.query.order_ref === 'string' ? req.query.order_ref : undefined;
    const shipments = Object.values(tms.state.shipments).filter(
      (s) => orderRef === undefined || s.order_ref === orderRef,
    );
    res.json({ shipments, total_count: shipments.length });
  });

  router.get('/carriers', (req: Request, res: Response) => {
    const all = tms.state.carriers.map((c) => ({
      carrier_scac: c.carrier_scac,
      name: c.name,
      service_levels: c.service_levels ?? [],
    }));
    res.json({ carriers: page(req, all, { offset: 'offset', limit: 'limit' }), total: all.length });
  });

  router.get('/shipments/:id', (req: Request, res: Response) => {
    res.json(shipmentOf(tms, String(req.params.id)));
  });

  router.patch('/shipments/:id', (req: Request, res: Response) => {
    const shipment = shipmentOf(tms, String(req.params.id));
    if (shipment.status === 'DELIVERED' || shipment.status === 'CANCELLED') {
      throw new BadRequest(
        `shipment ${shipment.shipment_id} is ${shipment.status}`,
        409,
        'INVALID_STATE',
      );
    }
    applyWeights(shipment, record(req.body, 'shipment'), tms);
    shipment.updated_at = tms.clock.now().toISOString();
    res.json(shipment);
  });

  router.post('/shipments/:id/tenders', (req: Request, res: Response) => {
    const shipment = shipmentOf(tms, String(req.params.id));
    res.status(201).json(tender(tms, shipment, isRecord(req.body) ? req.body : {}));
  });

  router.post('/shipments/:id/milestones', (req: Request, res: Response) => {
    const shipment = shipmentOf(tms, String(req.params.id));
    const fields = record(req.body, 'milestone');
    const code = str(fields, 'code');
    if (!(code in milestoneStatus)) {
      throw new BadRequest(`code ${code} is not one of ${Object.keys(milestoneStatus).join(', ')}`);
    }
    const milestone = {
      code,
      occurred_at: str(fields, 'occurred_at'),
      location: optStr(fields, 'location') ?? null,
      received_at: tms.clock.now().toISOString(),
    };
    shipment.milestones.push(milestone);
    const next = milestoneStatus[code];
    if (next && shipment.status !== 'DELIVERED') shipment.status = next;
    shipment.updated_at = milestone.received_at;
    res.status(201).json({ shipment_id: shipment.shipment_id, status: shipment.status, milestone });
  });

  router.post('/shipments/:id/freight-audits', (req: Request, res: Response) => {
    const shipment = shipmentOf(tms, String(req.params.id));
    const fields = record(req.body, 'freight audit');
    const billed = Math.round(num(fields, 'billed_cents'));
    const audit = {
      invoice_number: str(fields, 'invoice_number'),
      billed_cents: billed,
      variance_cents: billed - (shipment.planned_cost_cents ?? 0),
      status: oneOf(optStr(fields, 'status') ?? 'APPROVED', ['APPROVED', 'DISPUTED'], 'status'),
      audited_at: tms.clock.now().toISOString(),
    };
    shipment.freight_audits.push(audit);
    res.status(201).json({ shipment_id: shipment.shipment_id, ...audit });
  });
}

function simulate(router: Router, tms: Tms): void {
  router.post('/carrier-behaviour', (req: Request, res: Response) => {
    const fields = record(req.body, 'carrier behaviour');
    const scac = str(fields, 'carrier_scac');
    const carrier = tms.state.carriers.find((c) => c.carrier_scac === scac);
    if (!carrier) throw new BadRequest(`carrier ${scac} not found`, 404, 'CARRIER_NOT_FOUND');
    carrier.tender_response = oneOf(
      str(fields, 'tender_response'),
      ['accept', 'reject', 'manual'],
      'tender_response',
    );
    res.json(carrier);
  });

  router.post('/tender-response', (req: Request, res: Response) => {
    const fields = record(req.body, 'tender response');
    const shipment = shipmentOf(tms, str(fields, 'shipment_id'));
    const pending = shipment.tenders.find((t) => t.status === 'PENDING');
    if (!pending) throw new BadRequest('no pending tender', 409, 'INVALID_STATE');
    respond(tms, shipment, pending, fields.accept === true, optStr(fields, 'reason_code'));
    res.json(shipment);
  });
}

/** A SaaS TMS: basic auth, snake_case, SHP- ids, kilograms and cents; it selects and tenders carriers. */
export const tmsSpec: SystemSpec<TmsState> = {
  name: 'tms',
  initialState: () => ({ shipments: {}, carriers: seedCarriers() }),
  errorBody: (status, code, message) => ({
    error_code: code,
    error_message: message,
    http_status: status,
  }),
  api,
  simulate,
};
