import type { Request, Response, Router } from 'express';
import {
  BadRequest,
  type Fields,
  isRecord,
  list,
  num,
  optNum,
  optStr,
  record,
  str,
} from '../kernel/body';
import { pad } from '../kernel/clock';
import { gs1CheckDigit, sscc } from '../kernel/gs1';
import type { SystemRuntime, SystemSpec } from '../kernel/service';
import { freightInvoice210, shipNotice856, statusMessage214 } from '../x12/documents';
import { buildInterchange, type TransactionSet } from '../x12/envelope';
import type { CarrierAddress, CarrierShipment, CarrierState } from './model';
import { statusCodes } from './model';

type Carrier = SystemRuntime<CarrierState>;

const ediId = { carrier: 'SANDBOXCARRIER', crossdock: 'CROSSDOCK', supplier: 'SANDBOXSUPPLY' };

function address(value: unknown, what: string): CarrierAddress {
  const fields = record(value, what);
  return {
    Name: str(fields, 'Name', `${what}.Name`),
    City: str(fields, 'City', `${what}.City`),
    StateProvince: optStr(fields, 'StateProvince'),
    PostalCode: optStr(fields, 'PostalCode'),
    CountryCode: str(fields, 'CountryCode', `${what}.CountryCode`),
  };
}

function book(carrier: Carrier, fields: Fields): CarrierShipment {
  const n = carrier.seq.next('shipment');
  const base = `1Z${pad(n, 9)}`;
  const shipment: CarrierShipment = {
    TrackingNumber: `${base}${gs1CheckDigit(pad(n, 9))}`,
    ProNumber: `PRO${pad(n, 7)}`,
    Scac: optStr(fields, 'Scac') ?? 'SBXC',
    Reference: str(fields, 'Reference'),
    OrderReference: optStr(fields, 'OrderReference'),
    ServiceCode: optStr(fields, 'ServiceCode') ?? 'LTL',
    ShipFrom: fields.ShipFrom
      ? address(fields.ShipFrom, 'ShipFrom')
      : { Name: 'Sandbox DC East', City: 'Newark', StateProvince: 'NJ', CountryCode: 'US' },
    ShipTo: fields.ShipTo
      ? address(fields.ShipTo, 'ShipTo')
      : { Name: 'Consignee', City: 'Chicago', StateProvince: 'IL', CountryCode: 'US' },
    Pieces: optNum(fields, 'Pieces') ?? 1,
    WeightLbs: optNum(fields, 'WeightLbs') ?? 10,
    CurrentStatus: 'BOOKED',
    Activity: [],
  };
  carrier.state.shipments[shipment.TrackingNumber] = shipment;
  return shipment;
}

/** The shipment named by TrackingNumber, or by Reference (booked on first sight). */
function findOrBook(carrier: Carrier, fields: Fields): CarrierShipment {
  const tracking = optStr(fields, 'TrackingNumber');
  if (tracking) {
    const found = carrier.state.shipments[tracking];
    if (!found) throw new BadRequest(`Unknown tracking number ${tracking}`, 404, 'NOT_FOUND');
    return found;
  }
  const reference = str(fields, 'Reference', 'TrackingNumber or Reference');
  const existing = Object.values(carrier.state.shipments).find((s) => s.Reference === reference);
  return existing ?? book(carrier, fields);
}

function interchange(
  carrier: Carrier,
  functionalId: string,
  sender: string,
  tx: TransactionSet,
): string {
  return buildInterchange({
    senderId: sender,
    receiverId: ediId.crossdock,
    interchangeControl: carrier.seq.next('isa'),
    groupControl: carrier.seq.next('gs'),
    functionalId,
    at: carrier.clock.now(),
    transactions: [tx],
  });
}

function toParty(a: CarrierAddress) {
  return {
    name: a.Name,
    city: a.City,
    state: a.StateProvince,
    postalCode: a.PostalCode,
    country: a.CountryCode,
  };
}

/** X12 355 unit codes for the warehouse units suppliers are told about (a case is CA, not CS). */
const x12Units: Record<string, string> = {
  EA: 'EA',
  ST: 'EA',
  PC: 'EA',
  CS: 'CA',
  CA: 'CA',
  PL: 'PL',
  LB: 'LB',
  KG: 'KG',
};

function x12Unit(unit: string): string {
  const code = x12Units[unit.toUpperCase()];
  if (!code) throw new BadRequest(`Uom ${unit} is not one of ${Object.keys(x12Units).join(', ')}`);
  return code;
}

function api(router: Router, carrier: Carrier): void {
  router.post('/shipments', (req: Request, res: Response) => {
    const shipment = book(carrier, record(req.body, 'The shipment'));
    res
      .status(201)
      .json({ TrackingNumber: shipment.TrackingNumber, ProNumber: shipment.ProNumber });
  });

  router.post('/rates', (req: Request, res: Response) => {
    const fields = record(req.body, 'The rate request');
    const weight = num(fields, 'WeightLbs');
    if (weight <= 0) throw new BadRequest('WeightLbs must be positive');
    const services = [
      { ServiceCode: 'GND', baseCents: 1_250, perLbCents: 45, TransitDays: 4 },
      { ServiceCode: '2DA', baseCents: 2_900, perLbCents: 95, TransitDays: 2 },
      { ServiceCode: 'LTL', baseCents: 9_500, perLbCents: 18, TransitDays: 5 },
    ];
    res.json({
      Rates: services.map((s) => ({
        ServiceCode: s.ServiceCode,
        TransitDays: s.TransitDays,
        TotalCharges: {
          MonetaryValue: ((s.baseCents + s.perLbCents * weight) / 100).toFixed(2),
          CurrencyCode: 'USD',
        },
      })),
    });
  });

  router.get('/shipments/:tracking', (req: Request, res: Response) => {
    res.json(findOrBook(carrier, { TrackingNumber: String(req.params.tracking) }));
  });

  router.get('/tracking/:tracking', (req: Request, res: Response) => {
    const s = findOrBook(carrier, { TrackingNumber: String(req.params.tracking) });
    res.json({ TrackingNumber: s.TrackingNumber, Status: s.CurrentStatus, Activity: s.Activity });
  });

  router.get('/pod/:tracking', (req: Request, res: Response) => {
    const s = findOrBook(carrier, { TrackingNumber: String(req.params.tracking) });
    if (!s.ProofOfDelivery) {
      throw new BadRequest(`No proof of delivery yet for ${s.TrackingNumber}`, 404, 'POD_PENDING');
    }
    res.json({ TrackingNumber: s.TrackingNumber, ...s.ProofOfDelivery });
  });
}

/** The event path of a 214 the carrier drops on its SFTP server instead of posting it. */
export const SFTP_214_PATH = 'sftp/carrier/edi-214';

function simulate(router: Router, carrier: Carrier): void {
  router.post('/milestone', (req: Request, res: Response) => {
    const fields = record(req.body, 'The milestone');
    const code = str(fields, 'StatusCode');
    const description = statusCodes[code];
    if (!description) {
      throw new BadRequest(
        `StatusCode ${code} is not one of ${Object.keys(statusCodes).join(', ')}`,
      );
    }
    const delivery = optStr(fields, 'Delivery') ?? 'webhook';
    if (delivery !== 'webhook' && delivery !== 'sftp') {
      throw new BadRequest('Delivery must be webhook or sftp');
    }
    const format = delivery === 'sftp' ? 'x12' : (optStr(fields, 'Format') ?? 'json');
    if (format !== 'json' && format !== 'x12') throw new BadRequest('Format must be json or x12');
    if (delivery === 'sftp' && !carrier.events.hasOutlet(SFTP_214_PATH)) {
      throw new BadRequest('The carrier SFTP drop is not running', 409, 'NO_SFTP_DROP');
    }
    const s = findOrBook(carrier, fields);
    const at = carrier.clock.now();
    const activity = {
      StatusCode: code,
      ReasonCode: optStr(fields, 'ReasonCode') ?? 'NS',
      Description: description,
      Date: at.toISOString(),
      City: optStr(fields, 'City') ?? (code === 'D1' ? s.ShipTo.City : s.ShipFrom.City),
      CountryCode: code === 'D1' ? s.ShipTo.CountryCode : s.ShipFrom.CountryCode,
    };
    s.Activity.push(activity);
    s.CurrentStatus = code;
    const eventId = carrier.events.emit(
      delivery === 'sftp'
        ? SFTP_214_PATH
        : format === 'json'
          ? 'carrier/milestone'
          : 'carrier/edi-214',
      (id) =>
        format === 'json'
          ? {
              json: {
                EventId: id,
                TrackingNumber: s.TrackingNumber,
                ProNumber: s.ProNumber,
                Scac: s.Scac,
                Reference: s.Reference,
                OrderReference: s.OrderReference ?? null,
                WeightLbs: s.WeightLbs,
                Pieces: s.Pieces,
                ...activity,
              },
            }
          : {
              x12: interchange(
                carrier,
                'QM',
                ediId.carrier,
                statusMessage214({
                  proNumber: s.ProNumber,
                  shipmentRef: s.Reference,
                  scac: s.Scac,
                  orderRef: s.OrderReference,
                  shipper: toParty(s.ShipFrom),
                  consignee: toParty(s.ShipTo),
                  statusCode: code,
                  reasonCode: activity.ReasonCode,
                  at,
                  location: { city: activity.City, country: activity.CountryCode },
                  weightLbs: s.WeightLbs,
                  pieces: s.Pieces,
                }),
              ),
            },
    );
    res.status(202).json({ EventId: eventId, TrackingNumber: s.TrackingNumber });
  });

  router.post('/pod', (req: Request, res: Response) => {
    const fields = record(req.body, 'The proof of delivery');
    const s = findOrBook(carrier, fields);
    s.ProofOfDelivery = {
      SignedBy: str(fields, 'SignedBy'),
      DeliveredAt: optStr(fields, 'DeliveredAt') ?? carrier.clock.now().toISOString(),
    };
    const eventId = carrier.events.emit('carrier/pod', (id) => ({
      json: {
        EventId: id,
        TrackingNumber: s.TrackingNumber,
        Reference: s.Reference,
        OrderReference: s.OrderReference ?? null,
        ...s.ProofOfDelivery,
      },
    }));
    res.status(202).json({ EventId: eventId });
  });

  router.post('/freight-invoice', (req: Request, res: Response) => {
    const fields = record(req.body, 'The freight invoice');
    const s = findOrBook(carrier, fields);
    const charges = [
      { description: 'LINEHAUL', cents: Math.round(num(fields, 'LinehaulCents')) },
      {
        description: 'FUEL SURCHARGE',
        specialChargeCode: 'FUE',
        cents: Math.round(optNum(fields, 'FuelCents') ?? 0),
      },
    ];
    const accessorial = optNum(fields, 'AccessorialCents');
    if (accessorial)
      charges.push({
        description: 'LIFTGATE',
        specialChargeCode: 'LFT',
        cents: Math.round(accessorial),
      });
    const invoiceNumber =
      optStr(fields, 'InvoiceNumber') ?? `INV${pad(carrier.seq.next('invoice'), 7)}`;
    const delivered = s.Activity.find((a) => a.StatusCode === 'D1');
    const eventId = carrier.events.emit('carrier/edi-210', () => ({
      x12: interchange(
        carrier,
        'IM',
        ediId.carrier,
        freightInvoice210({
          invoiceNumber,
          proNumber: s.ProNumber,
          shipmentRef: s.Reference,
          scac: s.Scac,
          orderRef: s.OrderReference,
          invoiceDate: carrier.clock.now(),
          deliveryDate: delivered ? new Date(delivered.Date) : undefined,
          currency: optStr(fields, 'Currency') ?? 'USD',
          shipper: toParty(s.ShipFrom),
          consignee: toParty(s.ShipTo),
          weightLbs: s.WeightLbs,
          pieces: s.Pieces,
          charges,
        }),
      ),
    }));
    res.status(202).json({ EventId: eventId, InvoiceNumber: invoiceNumber });
  });

  router.post('/asn', (req: Request, res: Response) => {
    const fields = record(req.body, 'The ASN');
    const cartons = list(fields, 'Cartons').map((carton, c) => ({
      sscc: optStr(carton, 'Sscc') ?? sscc('0614141', carrier.seq.next('sscc')),
      items: list(carton, 'Items', `Cartons[${c}].Items`).map((item) => ({
        sku: str(item, 'Sku'),
        gtin: optStr(item, 'Gtin'),
        quantity: num(item, 'Quantity'),
        uom: x12Unit(optStr(item, 'Uom') ?? 'EA'),
      })),
    }));
    const asnNumber = optStr(fields, 'AsnNumber') ?? `ASN${pad(carrier.seq.next('asn'), 7)}`;
    const now = carrier.clock.now();
    const shipTo = isRecord(fields.ShipTo) ? address(fields.ShipTo, 'ShipTo') : undefined;
    const eventId = carrier.events.emit('supplier/edi-856', () => ({
      x12: interchange(
        carrier,
        'SH',
        ediId.supplier,
        shipNotice856({
          asnNumber,
          poNumber: str(fields, 'PoNumber'),
          at: now,
          shipDate: now,
          scac: optStr(fields, 'Scac') ?? 'SBXC',
          billOfLading: optStr(fields, 'BillOfLading') ?? `BOL${pad(carrier.seq.next('bol'), 7)}`,
          shipFrom: {
            name: optStr(fields, 'SupplierName') ?? 'Sandbox Supplier Inc',
            code: optStr(fields, 'SupplierCode'),
          },
          shipTo: shipTo
            ? { ...toParty(shipTo), code: optStr(fields, 'ShipToCode') }
            : { name: 'Sandbox DC East', code: optStr(fields, 'ShipToCode') ?? 'DC-EAST' },
          weightLbs: optNum(fields, 'WeightLbs') ?? 25 * cartons.length,
          cartons,
        }),
      ),
    }));
    res
      .status(202)
      .json({ EventId: eventId, AsnNumber: asnNumber, Sscc: cartons.map((c) => c.sscc) });
  });
}

/** The carrier (and the EDI network it sits on): no auth, PascalCase JSON and X12. */
export const carrierSpec: SystemSpec<CarrierState> = {
  name: 'carrier',
  initialState: () => ({ shipments: {} }),
  errorBody: (status, code, message) => ({
    Fault: { Code: code, Status: status, Detail: message },
  }),
  api,
  simulate,
};
