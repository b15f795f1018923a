/**
 * 214 Transportation Carrier Shipment Status Message <-> CarrierMilestone[] (one per LX loop).
 * B10 (01 carrier reference / PRO, 02 shipment id, 03 SCAC), L11*BM (bill of lading), then per
 * LX loop: AT7 (01 status code, 02 reason code, 05 date, 06 time, 07 time code), MS1 (01 city,
 * 02 state, 03 country), L11*QN (stop number). Status codes map to canonical statuses through
 * the table in `canonical/milestones.ts`.
 */
import { milestoneStatusOf, x12CodeOf } from '../../canonical/milestones';
import type { CarrierMilestone, MilestoneLocation } from '../../canonical/types';
import { PermanentError } from '../../sdk/errors';
import {
  find,
  mappingProblem,
  need,
  type Out,
  readDateTime,
  readNumber,
  required,
  utcDateTime,
  val,
} from '../elements';
import { defineSet } from '../set-mapping';
import { at } from '../types';

export const x214 = defineSet<CarrierMilestone[]>({
  set: '214',
  functionalId: 'QM',
  title: 'Transportation Carrier Shipment Status Message',
  read(ctx, body) {
    const b10 = required(
      ctx,
      body,
      'B10',
      'beginning segment for transportation carrier shipment status',
    );
    if (!b10) return undefined;
    const base = {
      shipmentId: need(ctx, b10, 2, 'shipment identification number'),
      carrier: { scac: need(ctx, b10, 3, 'SCAC') },
    };
    const pro = val(b10, 1);
    const bol = val(
      body.find((s) => s.id === 'L11' && val(s, 2) === 'BM'),
      1,
    );
    const milestones: CarrierMilestone[] = [];
    let current: CarrierMilestone | undefined;
    for (const s of body) {
      if (s.id === 'LX') {
        current = undefined;
      } else if (s.id === 'AT7') {
        const code = val(s, 1);
        if (code === undefined) {
          // An appointment-only AT7 (03/04) carries no status to report.
          continue;
        }
        const status = milestoneStatusOf(code);
        if (!status) {
          mappingProblem(
            ctx,
            s,
            'AT701',
            `AT701 shipment status code "${code}" is not in Crossdock's 214 status table ${at(s)}.`,
          );
          continue;
        }
        current = {
          ...base,
          carrier: { ...base.carrier },
          status,
          statusCode: code,
          occurredAt: readDateTime(ctx, s, 5, 6, 7, 'status') ?? '',
        };
        if (pro !== undefined) current.proNumber = pro;
        if (bol !== undefined) current.billOfLading = bol;
        const reason = val(s, 2);
        if (reason !== undefined) current.reasonCode = reason;
        milestones.push(current);
      } else if (s.id === 'MS1' && current) {
        const city = val(s, 1);
        const country = val(s, 3);
        if (city !== undefined && country !== undefined) {
          const location: MilestoneLocation = { city, country };
          const region = val(s, 2);
          if (region !== undefined) location.region = region;
          current.location = location;
        }
      } else if (s.id === 'L11' && val(s, 2) === 'QN' && current) {
        const stop = readNumber(ctx, s, 1, 'stop sequence number');
        if (stop !== undefined) current.stopNumber = stop;
      }
    }
    if (milestones.length === 0 && !find(body, 'AT7')) {
      mappingProblem(ctx, undefined, 'AT7', 'The 214 has no shipment status (LX/AT7).', {
        code: 'missing-segment',
      });
    }
    return milestones;
  },
  write(milestones) {
    const first = milestones[0];
    if (!first) throw new PermanentError('invalid-input', 'A 214 needs at least one milestone.');
    const other = milestones.find(
      (m) => m.shipmentId !== first.shipmentId || m.carrier.scac !== first.carrier.scac,
    );
    if (other) {
      throw new PermanentError(
        'invalid-input',
        `One 214 reports one shipment of one carrier: found ${first.shipmentId}/${first.carrier.scac} and ${other.shipmentId}/${other.carrier.scac}.`,
      );
    }
    const out: Out[] = [['B10', first.proNumber ?? '', first.shipmentId, first.carrier.scac]];
    if (first.billOfLading) out.push(['L11', first.billOfLading, 'BM']);
    milestones.forEach((m, index) => {
      const { date, time } = utcDateTime(m.occurredAt);
      out.push(['LX', String(index + 1)]);
      out.push([
        'AT7',
        m.statusCode ?? x12CodeOf(m.status),
        m.reasonCode ?? 'NS',
        '',
        '',
        date,
        time,
        'UT',
      ]);
      if (m.location)
        out.push(['MS1', m.location.city, m.location.region ?? '', m.location.country]);
      if (m.stopNumber !== undefined) out.push(['L11', String(m.stopNumber), 'QN']);
    });
    return out;
  },
});

/** Checks that a milestone's X12 code (if any) agrees with its canonical status. */
export function milestoneCodeProblem(m: CarrierMilestone): string | undefined {
  if (m.statusCode === undefined) return undefined;
  const status = milestoneStatusOf(m.statusCode);
  return status === m.status
    ? undefined
    : `statusCode "${m.statusCode}" means ${status ?? 'nothing Crossdock maps'}, not ${m.status}.`;
}
