/**
 * 210 Motor Carrier Freight Details and Invoice <-> FreightInvoice.
 * B3 (02 invoice number, 03 shipment id, 04 payment method, 06 invoice date, 07 net amount due
 * N2, 11 SCAC), C3 (01 currency; USD when absent), N9*BM (bill of lading), N1 loops (SH
 * shipper = origin, CN consignee = destination), LX loops: L5 (02 description), L0 (04 weight,
 * 05 qualifier, 11 weight unit), L1 (04 charge N2, 08 special charge code); L3 (01 total
 * weight, 12 weight unit).
 */
import type { FreightCharge, FreightInvoice } from '../../canonical/types';
import { WEIGHT_UNIT_MAP } from '../code-maps';
import {
  d8,
  find,
  mappingProblem,
  must,
  n2,
  need,
  type Out,
  type ReadContext,
  readCode,
  readDate,
  readN2,
  readNumber,
  real,
  ref,
  required,
  val,
} from '../elements';
import { readBody, writeParty } from '../parties';
import { defineSet } from '../set-mapping';
import { at, type Segment } from '../types';

/**
 * An N2 amount (two implied decimals); a partner that sends a decimal point (`486.20`) is read
 * as it says, with a warning.
 */
function readAmount(ctx: ReadContext, s: Segment, n: number, what: string): number | undefined {
  const v = val(s, n);
  if (v !== undefined && /^-?\d*\.\d+$/.test(v)) {
    mappingProblem(
      ctx,
      s,
      ref(s, n),
      `${ref(s, n)} (${what}) "${v}" has a decimal point; X12 N2 implies two decimals, so it is read as ${Number(v)} ${at(s)}.`,
      { severity: 'warning', code: 'default-applied' },
    );
    return Number(v);
  }
  return readN2(ctx, s, n, what);
}

export const x210 = defineSet<FreightInvoice>({
  set: '210',
  functionalId: 'IM',
  title: 'Motor Carrier Freight Details and Invoice',
  read(ctx, body) {
    const b3 = required(ctx, body, 'B3', 'beginning segment for carrier invoice');
    if (!b3) return undefined;
    const charges: FreightCharge[] = [];
    // One LX may carry several L1 (linehaul, fuel, accessorials): each is a charge of its own,
    // sharing the line's number, description (L5) and weight (L0).
    let line:
      | { number: number; description?: string; weight?: FreightCharge['weight'] }
      | undefined;
    let lineCharges: FreightCharge[] = [];
    const closeLine = () => {
      for (const c of lineCharges) {
        if (line?.description !== undefined && c.description === '')
          c.description = line.description;
        if (line?.weight && !c.weight) c.weight = line.weight;
        if (c.description === '') {
          c.description = c.chargeCode ? `Charge ${c.chargeCode}` : 'Freight charge';
          mappingProblem(
            ctx,
            undefined,
            'L5',
            `Charge line ${c.lineNumber} has no description (L5); "${c.description}" is used.`,
            { severity: 'warning', code: 'missing-optional' },
          );
        }
      }
      lineCharges = [];
    };
    const parties = readBody(ctx, body, (s) => {
      if (s.id === 'LX') {
        closeLine();
        line = { number: readNumber(ctx, s, 1, 'assigned number') ?? charges.length + 1 };
        if (!Number.isInteger(line.number) || line.number < 1) line.number = charges.length + 1;
        return;
      }
      // Segments before the first LX are header segments, read elsewhere.
      if (!line) return;
      if (s.id === 'L5') {
        const description = val(s, 2);
        if (description !== undefined) line.description ??= description;
      } else if (s.id === 'L0') {
        const value = readNumber(ctx, s, 4, 'weight');
        const unit = readCode(ctx, s, 11, WEIGHT_UNIT_MAP, 'weight unit');
        if (value !== undefined && value > 0 && unit !== undefined) line.weight = { value, unit };
      } else if (s.id === 'L1') {
        const charge: FreightCharge = {
          lineNumber: line.number,
          description: '',
          amount: readAmount(ctx, s, 4, 'charge') ?? 0,
        };
        const code = val(s, 8);
        if (code !== undefined) charge.chargeCode = code;
        charges.push(charge);
        lineCharges.push(charge);
      }
    });
    closeLine();
    if (charges.length === 0) {
      mappingProblem(ctx, undefined, 'L1', 'The 210 has no charges (LX/L1).', {
        code: 'missing-segment',
      });
    }
    const invoice: FreightInvoice = {
      invoiceNumber: need(ctx, b3, 2, 'invoice number'),
      invoiceDate: readDate(ctx, b3, 6, 'billing date') ?? need(ctx, b3, 6, 'billing date'),
      shipmentId: '',
      carrier: { scac: need(ctx, b3, 11, 'SCAC') },
      currency: val(find(body, 'C3'), 1) ?? 'USD',
      totalAmount: readAmount(ctx, b3, 7, 'net amount due') ?? 0,
      charges,
    };
    if (val(b3, 7) === undefined)
      mappingProblem(ctx, b3, 'B307', `B307 (net amount due) is missing ${at(b3)}.`);
    const sum = charges.reduce((n, c) => n + Math.round(c.amount * 100), 0) / 100;
    if (val(b3, 7) !== undefined && charges.length > 0 && sum !== invoice.totalAmount) {
      mappingProblem(
        ctx,
        b3,
        'B307',
        `B307 (net amount due) is ${invoice.totalAmount} but the L1 charges add up to ${sum} ${at(b3)}.`,
        { severity: 'warning', code: 'default-applied' },
      );
    }
    const bol = val(find(body, 'N9', 'BM'), 2) ?? val(find(body, 'L11', undefined), 1);
    if (bol !== undefined) invoice.billOfLading = bol;
    // B303 is optional in the standard: without it the bill of lading (or the invoice number)
    // identifies the shipment.
    const b303 = val(b3, 3);
    invoice.shipmentId = b303 ?? bol ?? invoice.invoiceNumber;
    if (b303 === undefined) {
      mappingProblem(
        ctx,
        b3,
        'B303',
        `B303 (shipment id) is missing; "${invoice.shipmentId}" (${bol ? 'the bill of lading' : 'the invoice number'}) identifies the shipment ${at(b3)}.`,
        { severity: 'warning', code: 'default-applied' },
      );
    }
    const origin = parties.get('SH');
    if (origin) invoice.origin = origin;
    const destination = parties.get('CN');
    if (destination) invoice.destination = destination;
    const l3 = find(body, 'L3');
    const weight = readNumber(ctx, l3, 1, 'weight');
    const unit = readCode(ctx, l3, 12, WEIGHT_UNIT_MAP, 'weight unit');
    if (weight !== undefined && unit !== undefined) invoice.weight = { value: weight, unit };
    return invoice;
  },
  write(invoice) {
    const out: Out[] = [
      [
        'B3',
        '',
        invoice.invoiceNumber,
        invoice.shipmentId,
        'PP',
        '',
        d8(invoice.invoiceDate),
        n2(invoice.totalAmount),
        '',
        '',
        '',
        invoice.carrier.scac,
      ],
      ['C3', invoice.currency],
    ];
    if (invoice.billOfLading) out.push(['N9', 'BM', invoice.billOfLading]);
    if (invoice.origin) out.push(...writeParty('SH', invoice.origin));
    if (invoice.destination) out.push(...writeParty('CN', invoice.destination));
    for (const c of invoice.charges) {
      out.push(['LX', String(c.lineNumber)]);
      out.push(['L5', String(c.lineNumber), c.description]);
      if (c.weight) {
        out.push([
          'L0',
          String(c.lineNumber),
          '',
          '',
          real(c.weight.value),
          'G',
          '',
          '',
          '',
          '',
          '',
          must(WEIGHT_UNIT_MAP, c.weight.unit, 'Weight unit'),
        ]);
      }
      out.push(['L1', String(c.lineNumber), '', '', n2(c.amount), '', '', '', c.chargeCode ?? '']);
    }
    if (invoice.weight) {
      out.push([
        'L3',
        real(invoice.weight.value),
        'G',
        '',
        '',
        n2(invoice.totalAmount),
        '',
        '',
        '',
        '',
        '',
        '',
        must(WEIGHT_UNIT_MAP, invoice.weight.unit, 'Weight unit'),
      ]);
    }
    return out;
  },
});
