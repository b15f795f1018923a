/**
 * Builds the 997 answer for a received interchange: envelope problems give their AK5/AK9
 * codes; a set that Crossdock supports but could not map (a mapping error, or a warning under
 * a strict partner) is rejected with AK5 code 5 and an AK3 per segment in error, unless the
 * caller accepts such sets to route them to an exception queue. Warnings do not change it.
 * A group of 997s (GS01 `FA`) is never acknowledged: acknowledging an acknowledgment would
 * start an endless exchange.
 */
import { AK5_CODES, type Interchange, type TransactionSet } from './envelope';
import type { FunctionalAcknowledgment, SetAcknowledgment } from './sets/x997';
import type { EdiProblem } from './types';

export interface AcknowledgeOptions {
  /** Sets whose mapping failed and that must be rejected. */
  mappingFailed?: ReadonlySet<TransactionSet>;
  /** Every problem found, to point AK3 at the segments in error. */
  problems?: readonly EdiProblem[];
}

/** AK304 codes used here. */
const AK3 = { unrecognized: '1', mandatoryMissing: '3', dataElementErrors: '8' } as const;

export function acknowledge(
  interchange: Interchange,
  supported: (setId: string) => boolean,
  options: AcknowledgeOptions = {},
): FunctionalAcknowledgment[] {
  return interchange.groups
    .filter((group) => group.functionalId !== 'FA')
    .map((group) => {
      const sets: SetAcknowledgment[] = group.sets.map((set) => {
        const codes = new Set<string>();
        const segmentErrors: SetAcknowledgment['segmentErrors'] = [];
        if (!/^\d{3}$/.test(set.id)) codes.add('6');
        else if (!supported(set.id)) codes.add(AK5_CODES.notSupported);
        for (const p of set.problems) {
          if (p.ackCode) codes.add(p.ackCode);
          if (p.code === 'bad-segment' && p.segment) {
            segmentErrors.push({
              segmentId: p.segment.id || 'ZZZ',
              position: p.segment.position - set.header.position + 1,
              code: AK3.unrecognized,
            });
            codes.add(AK5_CODES.segmentsInError);
          }
        }
        if (options.mappingFailed?.has(set)) {
          codes.add(AK5_CODES.segmentsInError);
          const end = set.trailer?.position ?? set.header.position + set.body.length + 1;
          const seen = new Set<string>();
          for (const p of options.problems ?? []) {
            if (
              p.level !== 'mapping' ||
              p.severity !== 'error' ||
              p.groupControlNumber !== group.controlNumber ||
              p.setControlNumber !== set.controlNumber
            )
              continue;
            const inSet =
              p.segment && p.segment.position > set.header.position && p.segment.position < end;
            const error = inSet
              ? {
                  segmentId: p.segment?.id ?? 'ZZZ',
                  position: (p.segment?.position ?? 0) - set.header.position + 1,
                  code: AK3.dataElementErrors,
                }
              : {
                  segmentId: (p.element ?? 'ZZZ').slice(0, 3).replace(/[^A-Z0-9]/g, '') || 'ZZZ',
                  position: end - set.header.position + 1,
                  code: AK3.mandatoryMissing,
                };
            const key = `${error.segmentId}:${error.position}:${error.code}`;
            if (!seen.has(key)) segmentErrors.push(error);
            seen.add(key);
          }
        }
        return {
          set: set.id,
          controlNumber: set.controlNumber,
          status: codes.size > 0 ? 'R' : 'A',
          errorCodes: [...codes].sort(),
          segmentErrors,
        };
      });
      const accepted = sets.filter((s) => s.status !== 'R').length;
      const groupCodes = [
        ...new Set(group.problems.flatMap((p) => (p.ackCode ? [p.ackCode] : []))),
      ].sort();
      const said = Number(group.trailer?.elements[1]);
      let status: FunctionalAcknowledgment['status'] = 'A';
      if (groupCodes.length > 0 || (accepted === 0 && sets.length > 0)) status = 'R';
      else if (accepted < sets.length) status = 'P';
      return {
        functionalId: group.functionalId || 'ZZ',
        groupControlNumber: group.controlNumber,
        version: group.version,
        status,
        setsIncluded: Number.isInteger(said) && said >= 0 ? said : sets.length,
        setsReceived: sets.length,
        setsAccepted: groupCodes.length > 0 ? 0 : accepted,
        errorCodes: groupCodes,
        sets,
      };
    });
}
