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
  real,
  required,
  utcDateTime,
  val,
} from '../elements';
import { defineSet } from '../set-mapping';
import { at, type Segment } from '../types';
import { zoneOfRegion } from '../zones';

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
    // The AT7 time may be local (LT): its zone is known only once MS1 (after it) says where.
    let pending: { milestone: CarrierMilestone; at7: Segment } | undefined;
    const settle = () => {
      if (!pending) return;
      const { milestone, at7 } = pending;
      const zone = zoneOfRegion(milestone.location?.region, milestone.location?.country);
      milestone.occurredAt = readDateTime(ctx, at7, 5, 6, 7, 'status', zone) ?? '';
      if (milestone.occurredAt === '') {
        mappingProblem(ctx, at7, 'AT705', `AT705 (status date) is missing ${at(at7)}.`);
      }
      pending = undefined;
    };
    for (const s of body) {
      if (s.id === 'LX') {
        settle();
        current = undefined;
      } else if (s.id === 'AT7') {
        settle();
        // An appointment-only AT7 has no AT701; its AT703 says which appointment (AA, AB...).
        const code = val(s, 1) ?? val(s, 3);
        if (code === undefined) {
          mappingProblem(
            ctx,
            s,
            'AT701',
            `AT7 has neither a status (AT701) nor an appointment status (AT703) ${at(s)}.`,
            { severity: 'warning', code: 'missing-optional' },
          );
          continue;
        }
        let status = milestoneStatusOf(code);
        if (!status && val(s, 1) === undefined) status = 'appointment-scheduled';
        if (!status) {
          mappingProblem(
            ctx,
            s,
            'AT701',
            `AT701 shipment status code "${code}" is not in Crossdock's 214 status table; the milestone keeps it with status "unknown" ${at(s)}.`,
            { severity: 'warning', code: 'unknown-code' },
          );
        }
        current = {
          ...base,
          carrier: { ...base.carrier },
          status: status ?? 'unknown',
          occurredAt: '',
        };
        // A code that is not even the shape of an X12 code is named in the warning only.
        if (/^[A-Z0-9]{2}$/.test(code)) current.statusCode = code;
        if (pro !== undefined) current.proNumber = pro;
        if (bol !== undefined) current.billOfLading = bol;
        const reason = val(s, 2) ?? val(s, 4);
        if (reason !== undefined && /^[A-Z0-9]{2,3}$/.test(reason)) current.reasonCode = reason;
        milestones.push(current);
        pending = { milestone: current, at7: s };
      } else if (s.id === 'MS1' && current) {
        const city = val(s, 1);
        const country = val(s, 3);
        const region = val(s, 2);
        if (city !== undefined && (country !== undefined || region !== undefined)) {
          const resolved =
            country ?? ctx.options?.defaultCountry ?? (zoneOfRegion(region) ? 'US' : undefined);
          if (country === undefined) {
            mappingProblem(
              ctx,
              s,
              'MS103',
              `MS103 (country) is missing; ${resolved ?? 'no country'} is assumed ${at(s)}.`,
              { severity: 'warning', code: 'default-applied' },
            );
          }
          if (resolved !== undefined && /^[A-Z]{2}$/.test(resolved)) {
            const location: MilestoneLocation = { city, country: resolved };
            if (region !== undefined) location.region = region;
            current.location = location;
          }
        }
      } else if (s.id === 'AT8' && current) {
        const unit = val(s, 2) === 'K' ? 'KGM' : 'LBR';
        const value = readNumber(ctx, s, 3, 'weight');
        if (value !== undefined && value > 0) current.weight = { value, unit };
        const pieces = readNumber(ctx, s, 4, 'lading quantity');
        if (pieces !== undefined && Number.isInteger(pieces) && pieces >= 0)
          current.pieces = pieces;
      } else if (s.id === 'L11' && current) {
        const qualifier = val(s, 2);
        const value = val(s, 1);
        if (qualifier === 'QN') {
          const stop = readNumber(ctx, s, 1, 'stop sequence number');
          if (stop !== undefined && Number.isInteger(stop) && stop >= 1) current.stopNumber = stop;
        } else if (
          qualifier !== undefined &&
          value !== undefined &&
          /^[A-Z0-9]{2,3}$/.test(qualifier)
        ) {
          current.references = [...(current.references ?? []), { qualifier, value }];
        }
      }
    }
    settle();
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
        m.statusCode ?? (m.status === 'unknown' ? '' : x12CodeOf(m.status)),
        m.reasonCode ?? 'NS',
        '',
        '',
        date,
        time,
        'UT',
      ]);
      if (m.location)
        out.push(['MS1', m.location.city, m.location.region ?? '', m.location.country]);
      if (m.weight || m.pieces !== undefined) {
        out.push([
          'AT8',
          'G',
          m.weight?.unit === 'KGM' ? 'K' : 'L',
          m.weight ? real(m.weight.value) : '',
          m.pieces !== undefined ? String(m.pieces) : '',
        ]);
      }
      if (m.stopNumber !== undefined) out.push(['L11', String(m.stopNumber), 'QN']);
      for (const r of m.references ?? []) out.push(['L11', r.value, r.qualifier]);
    });
    return out;
  },
});

/** Checks that a milestone's X12 code (if any) agrees with its canonical status. */
export function milestoneCodeProblem(m: CarrierMilestone): string | undefined {
  if (m.statusCode === undefined) {
    return m.status === 'unknown' ? 'status "unknown" needs the carrier\'s statusCode.' : undefined;
  }
  const status = milestoneStatusOf(m.statusCode);
  if (status === undefined && m.status === 'unknown') return undefined;
  return status === m.status
    ? undefined
    : `statusCode "${m.statusCode}" means ${status ?? 'nothing Crossdock maps'}, not ${m.status}.`;
}
