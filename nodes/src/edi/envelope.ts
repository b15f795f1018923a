import { tokenize } from './tokenize';
import { at, type Delimiters, type EdiProblem, type Segment } from './types';

export interface InterchangeHeader {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISA09 (YYMMDD) and ISA10 (HHMM) as sent. */
  date: string;
  time: string;
  version: string;
  controlNumber: string;
  ackRequested: boolean;
  usage: 'P' | 'T' | string;
}

export interface TransactionSet {
  /** ST01, e.g. `850`. */
  id: string;
  /** ST02. */
  controlNumber: string;
  header: Segment;
  /** The segments between ST and SE. */
  body: Segment[];
  trailer?: Segment;
  problems: EdiProblem[];
}

export interface FunctionalGroup {
  /** GS01, e.g. `PO`. */
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  /** GS06. */
  controlNumber: string;
  /** GS08, e.g. `004010`. */
  version: string;
  header: Segment;
  trailer?: Segment;
  sets: TransactionSet[];
  problems: EdiProblem[];
}

export interface Interchange {
  header: InterchangeHeader;
  delimiters: Delimiters;
  groups: FunctionalGroup[];
  /** The ISA and IEA segments (positions in the file). */
  isa: Segment;
  iea?: Segment;
}

export interface ReadResult {
  /** The first interchange of the file. */
  interchange?: Interchange;
  /** Every interchange of the file (a file may carry several ISA ... IEA). */
  interchanges: Interchange[];
  /** Every problem found, in document order. */
  problems: EdiProblem[];
}

/** 997 codes for envelope problems: AK5 (set level) and AK9 (group level). */
export const AK5_CODES = {
  notSupported: '1',
  trailerMissing: '2',
  controlMismatch: '3',
  countMismatch: '4',
  segmentsInError: '5',
  badControlNumber: '7',
  notUnique: '23',
} as const;
export const AK9_CODES = { trailerMissing: '3', controlMismatch: '4', countMismatch: '5' } as const;

const el = (s: Segment, n: number) => (s.elements[n] ?? '').trim();

function sameNumber(a: string, b: string): boolean {
  return /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) === Number(b) : a === b;
}

/**
 * Reads an interchange and checks its envelopes: ISA/IEA, GS/GE and ST/SE pairing, SE01
 * segment count, SE02 = ST02, GE01 set count, GE02 = GS06, IEA01 group count, IEA02 = ISA13.
 * Every problem names the segment and its position.
 */
export function readInterchange(text: string): ReadResult {
  const tokens = tokenize(text);
  const problems: EdiProblem[] = [];
  const delimiters = tokens.delimiters;
  if (!delimiters || tokens.segments.length === 0)
    return { interchanges: [], problems: tokens.problems };
  // Split the file at each ISA: every interchange is read and checked on its own.
  const chunks: Segment[][] = [];
  for (const s of tokens.segments) {
    if (s.id === 'ISA' || chunks.length === 0) chunks.push([s]);
    else chunks[chunks.length - 1]?.push(s);
  }
  const interchanges: Interchange[] = [];
  const controlNumbers = new Set<string>();
  for (const chunk of chunks) {
    const first = chunk[0] as Segment;
    const last = chunk[chunk.length - 1] as Segment;
    const chunkProblems = tokens.problems.filter((p) =>
      p.segment === undefined
        ? chunk === chunks[chunks.length - 1]
        : p.segment.position >= first.position && p.segment.position <= last.position,
    );
    const read = readOne(chunk, delimiters, chunkProblems);
    problems.push(...read.problems);
    if (!read.interchange) continue;
    const isa13 = read.interchange.header.controlNumber;
    if (controlNumbers.has(isa13)) {
      problems.push({
        code: 'duplicate-control',
        level: 'interchange',
        severity: 'error',
        message: `ISA13 ${isa13} was already used by an earlier interchange in this file ${at(first)}.`,
        segment: { id: 'ISA', position: first.position },
        element: 'ISA13',
      });
    }
    controlNumbers.add(isa13);
    interchanges.push(read.interchange);
  }
  return {
    ...(interchanges[0] ? { interchange: interchanges[0] } : {}),
    interchanges,
    problems,
  };
}

function readOne(
  segments: Segment[],
  delimiters: Delimiters,
  tokenProblems: EdiProblem[],
): { interchange?: Interchange; problems: EdiProblem[] } {
  const tokens = { segments, delimiters, problems: tokenProblems };
  const problems: EdiProblem[] = [...tokens.problems];
  const isa = tokens.segments[0];
  if (!isa) return { problems };

  const header: InterchangeHeader = {
    senderQualifier: el(isa, 5),
    senderId: el(isa, 6),
    receiverQualifier: el(isa, 7),
    receiverId: el(isa, 8),
    date: el(isa, 9),
    time: el(isa, 10),
    version: el(isa, 12),
    controlNumber: el(isa, 13),
    ackRequested: el(isa, 14) === '1',
    usage: el(isa, 15),
  };
  const interchange: Interchange = { header, delimiters: tokens.delimiters, groups: [], isa };
  let group: FunctionalGroup | undefined;
  let set: TransactionSet | undefined;
  let ended = false;

  const report = (p: Omit<EdiProblem, 'severity'>, into?: EdiProblem[]) => {
    const full: EdiProblem = { severity: 'error', ...p };
    problems.push(full);
    into?.push(full);
  };
  const unexpected = (s: Segment, why: string) =>
    report({
      code: 'unexpected-segment',
      level: 'interchange',
      message: `${s.id} ${why} ${at(s)}.`,
      segment: { id: s.id, position: s.position },
    });

  const closeSetWithoutTrailer = (by: Segment) => {
    if (!set) return;
    report(
      {
        code: 'missing-trailer',
        level: 'set',
        message: `Transaction set ${set.id} ${set.controlNumber} has no SE before ${by.id} ${at(by)}.`,
        segment: { id: by.id, position: by.position },
        element: 'SE',
        ...scope(),
        ackCode: AK5_CODES.trailerMissing,
      },
      set.problems,
    );
    set = undefined;
  };
  const closeGroupWithoutTrailer = (by: Segment) => {
    if (!group) return;
    report(
      {
        code: 'missing-trailer',
        level: 'group',
        message: `Functional group ${group.controlNumber} has no GE before ${by.id} ${at(by)}.`,
        segment: { id: by.id, position: by.position },
        element: 'GE',
        groupControlNumber: group.controlNumber,
        ackCode: AK9_CODES.trailerMissing,
      },
      group.problems,
    );
    group = undefined;
  };
  const scope = () => ({
    ...(group ? { groupControlNumber: group.controlNumber } : {}),
    ...(set ? { setControlNumber: set.controlNumber } : {}),
  });

  for (const s of tokens.segments.slice(1)) {
    if (ended) {
      unexpected(s, 'comes after IEA, which ends the interchange');
      continue;
    }
    switch (s.id) {
      case 'GS':
        closeSetWithoutTrailer(s);
        closeGroupWithoutTrailer(s);
        if (interchange.groups.some((g) => g.controlNumber === el(s, 6))) {
          report({
            code: 'duplicate-control',
            level: 'interchange',
            message: `GS06 ${el(s, 6)} is used by an earlier group in this interchange ${at(s)}.`,
            segment: { id: 'GS', position: s.position },
            element: 'GS06',
          });
        }
        group = {
          functionalId: el(s, 1),
          senderCode: el(s, 2),
          receiverCode: el(s, 3),
          controlNumber: el(s, 6),
          version: el(s, 8),
          header: s,
          sets: [],
          problems: [],
        };
        interchange.groups.push(group);
        break;
      case 'ST': {
        closeSetWithoutTrailer(s);
        if (!group) unexpected(s, 'is outside a functional group (no GS before it)');
        set = { id: el(s, 1), controlNumber: el(s, 2), header: s, body: [], problems: [] };
        const duplicate =
          set.controlNumber !== '' && group?.sets.some((t) => t.controlNumber === el(s, 2));
        group?.sets.push(set);
        if (duplicate) {
          report(
            {
              code: 'duplicate-control',
              level: 'set',
              message: `ST02 ${set.controlNumber} is used by an earlier set in this group ${at(s)}.`,
              segment: { id: 'ST', position: s.position },
              element: 'ST02',
              ...scope(),
              ackCode: AK5_CODES.notUnique,
            },
            set.problems,
          );
        }
        if (set.controlNumber === '') {
          report(
            {
              code: 'bad-element',
              level: 'set',
              message: `ST02 (the transaction set control number) is empty ${at(s)}.`,
              segment: { id: 'ST', position: s.position },
              element: 'ST02',
              ...scope(),
              ackCode: AK5_CODES.badControlNumber,
            },
            set.problems,
          );
        }
        break;
      }
      case 'SE': {
        if (!set) {
          unexpected(s, 'has no ST before it');
          break;
        }
        const found = set.body.length + 2;
        const said = el(s, 1);
        if (!/^\d+$/.test(said) || Number(said) !== found) {
          report(
            {
              code: 'count-mismatch',
              level: 'set',
              message: `SE01 says ${said || '(nothing)'} segments, found ${found} ${at(s)}.`,
              segment: { id: 'SE', position: s.position },
              element: 'SE01',
              ...scope(),
              ackCode: AK5_CODES.countMismatch,
            },
            set.problems,
          );
        }
        if (el(s, 2) !== set.controlNumber) {
          report(
            {
              code: 'control-mismatch',
              level: 'set',
              message: `SE02 is ${el(s, 2) || '(empty)'} but ST02 is ${set.controlNumber} ${at(s)}.`,
              segment: { id: 'SE', position: s.position },
              element: 'SE02',
              ...scope(),
              ackCode: AK5_CODES.controlMismatch,
            },
            set.problems,
          );
        }
        set.trailer = s;
        set = undefined;
        break;
      }
      case 'GE': {
        closeSetWithoutTrailer(s);
        if (!group) {
          unexpected(s, 'has no GS before it');
          break;
        }
        const said = el(s, 1);
        if (!/^\d+$/.test(said) || Number(said) !== group.sets.length) {
          report(
            {
              code: 'count-mismatch',
              level: 'group',
              message: `GE01 says ${said || '(nothing)'} transaction sets, found ${group.sets.length} ${at(s)}.`,
              segment: { id: 'GE', position: s.position },
              element: 'GE01',
              groupControlNumber: group.controlNumber,
              ackCode: AK9_CODES.countMismatch,
            },
            group.problems,
          );
        }
        if (!sameNumber(el(s, 2), group.controlNumber)) {
          report(
            {
              code: 'control-mismatch',
              level: 'group',
              message: `GE02 is ${el(s, 2) || '(empty)'} but GS06 is ${group.controlNumber} ${at(s)}.`,
              segment: { id: 'GE', position: s.position },
              element: 'GE02',
              groupControlNumber: group.controlNumber,
              ackCode: AK9_CODES.controlMismatch,
            },
            group.problems,
          );
        }
        group.trailer = s;
        group = undefined;
        break;
      }
      case 'IEA': {
        closeSetWithoutTrailer(s);
        closeGroupWithoutTrailer(s);
        const said = el(s, 1);
        const found = interchange.groups.length;
        if (!/^\d+$/.test(said) || Number(said) !== found) {
          report({
            code: 'count-mismatch',
            level: 'interchange',
            message: `IEA01 says ${said || '(nothing)'} functional groups, found ${found} ${at(s)}.`,
            segment: { id: 'IEA', position: s.position },
            element: 'IEA01',
          });
        }
        if (!sameNumber(el(s, 2), header.controlNumber)) {
          report({
            code: 'control-mismatch',
            level: 'interchange',
            message: `IEA02 is ${el(s, 2) || '(empty)'} but ISA13 is ${header.controlNumber} ${at(s)}.`,
            segment: { id: 'IEA', position: s.position },
            element: 'IEA02',
          });
        }
        interchange.iea = s;
        ended = true;
        break;
      }
      default:
        if (set) set.body.push(s);
        else unexpected(s, 'is outside a transaction set (no ST before it)');
    }
  }
  if (!ended) {
    const lastSegment = tokens.segments[tokens.segments.length - 1] ?? isa;
    closeSetWithoutTrailer(lastSegment);
    closeGroupWithoutTrailer(lastSegment);
    report({
      code: 'missing-trailer',
      level: 'interchange',
      message: `The interchange has no IEA; it ends at ${at(lastSegment).slice(1, -1)}.`,
      segment: { id: lastSegment.id, position: lastSegment.position },
      element: 'IEA',
    });
  }
  // Problems the tokenizer found inside a set belong to that set (the 997 reports them).
  for (const p of tokens.problems) {
    const position = p.segment?.position;
    if (position === undefined) continue;
    for (const g of interchange.groups) {
      for (const s of g.sets) {
        const end = s.trailer?.position ?? Number.POSITIVE_INFINITY;
        if (position > s.header.position && position < end) {
          p.level = 'set';
          p.groupControlNumber = g.controlNumber;
          p.setControlNumber = s.controlNumber;
          s.problems.push(p);
        }
      }
    }
  }
  return { interchange, problems };
}
