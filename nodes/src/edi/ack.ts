/**
 * Builds the 997 answer for a received interchange from the envelope problems found while
 * reading it. Mapping problems (a code Crossdock does not map, a missing business field) are
 * not syntax errors and do not change the 997; they are reported as diagnostics instead.
 */
import { AK5_CODES, type Interchange } from './envelope';
import type { FunctionalAcknowledgment, SetAcknowledgment } from './sets/x997';

export function acknowledge(
  interchange: Interchange,
  supported: (setId: string) => boolean,
): FunctionalAcknowledgment[] {
  return interchange.groups.map((group) => {
    const sets: SetAcknowledgment[] = group.sets.map((set) => {
      const codes = new Set<string>();
      const segmentErrors: SetAcknowledgment['segmentErrors'] = [];
      if (!supported(set.id)) codes.add(AK5_CODES.notSupported);
      for (const p of set.problems) {
        if (p.ackCode) codes.add(p.ackCode);
        if (p.code === 'bad-segment' && p.segment) {
          segmentErrors.push({
            segmentId: p.segment.id || 'ZZZ',
            position: p.segment.position - set.header.position + 1,
            code: '1',
          });
          codes.add(AK5_CODES.segmentsInError);
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
      functionalId: group.functionalId,
      groupControlNumber: group.controlNumber,
      status,
      setsIncluded: Number.isInteger(said) && said >= 0 ? said : sets.length,
      setsReceived: sets.length,
      setsAccepted: groupCodes.length > 0 ? 0 : accepted,
      errorCodes: groupCodes,
      sets,
    };
  });
}
