/**
 * 997 Functional Acknowledgment: AK1 (01 functional id, 02 group control number), per set AK2
 * (01 set id, 02 control number), AK3 (01 segment id, 02 position in the set, 04 error code),
 * AK5 (01 A accepted / E accepted with errors / R rejected, 02.. error codes), then AK9
 * (01 A/E/P/R, 02 sets included, 03 received, 04 accepted, 05.. error codes).
 */
import { PermanentError } from '../../sdk/errors';
import { need, type Out, readNumber, required, val } from '../elements';
import { defineSet } from '../set-mapping';
import type { Segment } from '../types';

export interface SegmentError {
  segmentId: string;
  /** Position in the transaction set, ST being 1. */
  position: number;
  /** AK304: 1 unrecognized segment id, 2 unexpected, 3 mandatory missing, 8 has data element errors... */
  code: string;
}

export interface SetAcknowledgment {
  set: string;
  controlNumber: string;
  status: 'A' | 'E' | 'R';
  /** AK5 codes: 1 not supported, 2 trailer missing, 3 control numbers differ, 4 count wrong, 5 segments in error. */
  errorCodes: string[];
  segmentErrors: SegmentError[];
}

/** One 997: the answer for one functional group. */
export interface FunctionalAcknowledgment {
  functionalId: string;
  groupControlNumber: string;
  /** GS08 of the group answered (the 997 is sent in that version); absent when read from a 997. */
  version?: string;
  /** A accepted, E accepted with errors, P partially accepted, R rejected. */
  status: 'A' | 'E' | 'P' | 'R';
  setsIncluded: number;
  setsReceived: number;
  setsAccepted: number;
  /** AK9 codes: 3 trailer missing, 4 control numbers differ, 5 set count wrong. */
  errorCodes: string[];
  sets: SetAcknowledgment[];
}

const codesFrom = (s: Segment, from: number) =>
  s.elements
    .slice(from)
    .map((c) => c.trim())
    .filter((c) => c !== '');

export const x997 = defineSet<FunctionalAcknowledgment>({
  set: '997',
  functionalId: 'FA',
  title: 'Functional Acknowledgment',
  read(ctx, body) {
    const ak1 = required(ctx, body, 'AK1', 'functional group response header');
    const ak9 = required(ctx, body, 'AK9', 'functional group response trailer');
    if (!ak1 || !ak9) return undefined;
    const sets: SetAcknowledgment[] = [];
    let current: SetAcknowledgment | undefined;
    for (const s of body) {
      if (s.id === 'AK2') {
        current = {
          // Empty when it answers a set whose ST01 was empty (AK5 code 6).
          set: val(s, 1) ?? '',
          controlNumber: need(ctx, s, 2, 'transaction set control number'),
          status: 'A',
          errorCodes: [],
          segmentErrors: [],
        };
        sets.push(current);
      } else if (s.id === 'AK3' && current) {
        current.segmentErrors.push({
          segmentId: need(ctx, s, 1, 'segment id'),
          position: readNumber(ctx, s, 2, 'segment position') ?? 0,
          code: val(s, 4) ?? '',
        });
      } else if (s.id === 'AK5' && current) {
        const status = val(s, 1);
        current.status = status === 'R' || status === 'E' ? status : 'A';
        current.errorCodes = codesFrom(s, 2);
      }
    }
    const status = val(ak9, 1);
    return {
      functionalId: need(ctx, ak1, 1, 'functional identifier code'),
      groupControlNumber: need(ctx, ak1, 2, 'group control number'),
      status: status === 'E' || status === 'P' || status === 'R' ? status : 'A',
      setsIncluded: readNumber(ctx, ak9, 2, 'number of transaction sets included') ?? 0,
      setsReceived: readNumber(ctx, ak9, 3, 'number of received transaction sets') ?? 0,
      setsAccepted: readNumber(ctx, ak9, 4, 'number of accepted transaction sets') ?? 0,
      errorCodes: codesFrom(ak9, 5),
      sets,
    };
  },
  write(ack) {
    if (ack.errorCodes.length > 5) {
      throw new PermanentError('invalid-input', 'AK9 carries at most five error codes.');
    }
    const out: Out[] = [['AK1', ack.functionalId, ack.groupControlNumber]];
    for (const set of ack.sets) {
      out.push(['AK2', set.set, set.controlNumber]);
      for (const e of set.segmentErrors)
        out.push(['AK3', e.segmentId, String(e.position), '', e.code]);
      out.push(['AK5', set.status, ...set.errorCodes.slice(0, 5)]);
    }
    out.push([
      'AK9',
      ack.status,
      String(ack.setsIncluded),
      String(ack.setsReceived),
      String(ack.setsAccepted),
      ...ack.errorCodes,
    ]);
    return out;
  },
});

const ackCodes = { type: 'array', items: { type: 'string', pattern: '^[0-9A-Z]{1,3}$' } } as const;

/** JSON Schema of a `FunctionalAcknowledgment`, checked before a 997 is generated. */
export const functionalAcknowledgmentSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'functionalId',
    'groupControlNumber',
    'status',
    'setsIncluded',
    'setsReceived',
    'setsAccepted',
    'errorCodes',
    'sets',
  ],
  properties: {
    functionalId: { type: 'string', pattern: '^[A-Z0-9]{1,2}$' },
    // What the partner sent is echoed as it was, even when it breaks the standard's shape.
    groupControlNumber: { type: 'string', maxLength: 9 },
    version: { type: 'string', pattern: '^[0-9A-Z]{1,12}$' },
    status: { enum: ['A', 'E', 'P', 'R'] },
    setsIncluded: { type: 'integer', minimum: 0 },
    setsReceived: { type: 'integer', minimum: 0 },
    setsAccepted: { type: 'integer', minimum: 0 },
    errorCodes: { ...ackCodes, maxItems: 5 },
    sets: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['set', 'controlNumber', 'status', 'errorCodes', 'segmentErrors'],
        properties: {
          set: { type: 'string', maxLength: 6 },
          controlNumber: { type: 'string', maxLength: 9 },
          status: { enum: ['A', 'E', 'R'] },
          errorCodes: { ...ackCodes, maxItems: 5 },
          segmentErrors: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['segmentId', 'position', 'code'],
              properties: {
                segmentId: { type: 'string', minLength: 1, maxLength: 3 },
                position: { type: 'integer', minimum: 1 },
                code: { type: 'string', pattern: '^[0-9]{0,3}$' },
              },
            },
          },
        },
      },
    },
  },
};
