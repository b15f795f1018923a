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

/** Called as the envelope reader completes each part, so a caller can let go of it. */
export interface EnvelopeListener {
  /**
   * A transaction set inside a group is complete (its SE was read, or what followed closed it):
   * its envelope problems are known.
   */
  set?(set: TransactionSet, group: FunctionalGroup, interchange: Interchange): void;
  /** An interchange is complete (the next ISA or the end of the text follows it). */
  interchange?(interchange: Interchange, problems: EdiProblem[]): void;
}

/**
 * Checks the envelopes segment by segment, as the tokenizer produces them: ISA/IEA, GS/GE and
 * ST/SE pairing, SE01 segment count, SE02 = ST02, GE01 set count, GE02 = GS06, IEA01 group
 * count, IEA02 = ISA13, and ISA13 unique in the file. Every problem names the segment and its
 * position. Sets are handed to the listener as soon as they close.
 */
export class EnvelopeReader {
  readonly #delimiters: Delimiters;
  readonly #listener: EnvelopeListener;
  readonly #controlNumbers = new Set<string>();
  #current: OpenInterchange | undefined;
  /** Tokenizer problems waiting for the segment they are about. */
  #waiting: EdiProblem[] = [];
  readonly interchanges: Interchange[] = [];
  readonly problems: EdiProblem[] = [];

  constructor(delimiters: Delimiters, listener: EnvelopeListener = {}) {
    this.#delimiters = delimiters;
    this.#listener = listener;
  }

  /** Reads the tokenizer's next segments and problems (one batch, in document order). */
  push(segments: readonly Segment[], tokenProblems: readonly EdiProblem[]): void {
    this.#waiting.push(...tokenProblems);
    for (const s of segments) {
      if (s.id === 'ISA' || !this.#current) {
        this.#finish();
        this.#current = openInterchange(s, this.#delimiters, this.#listener);
      }
      const mine = this.#take(s.position);
      for (const p of mine) this.#current.tokenProblem(p);
      this.#current.segment(s);
      for (const p of mine) this.#current.attachToSet(p);
    }
  }

  /** Ends the text: closes what is open and reports what is missing. */
  end(): void {
    const rest = this.#waiting;
    this.#waiting = [];
    if (this.#current) for (const p of rest) this.#current.tokenProblem(p);
    else this.problems.push(...rest);
    this.#finish();
  }

  #take(position: number): EdiProblem[] {
    if (this.#waiting.length === 0) return [];
    const mine = this.#waiting.filter(
      (p) => p.segment !== undefined && p.segment.position <= position,
    );
    if (mine.length > 0) this.#waiting = this.#waiting.filter((p) => !mine.includes(p));
    return mine;
  }

  #finish(): void {
    const open = this.#current;
    if (!open) return;
    this.#current = undefined;
    const { interchange, problems } = open.finish();
    const isa13 = interchange.header.controlNumber;
    if (this.#controlNumbers.has(isa13)) {
      problems.push({
        code: 'duplicate-control',
        level: 'interchange',
        severity: 'error',
        message: `ISA13 ${isa13} was already used by an earlier interchange in this file ${at(interchange.isa)}.`,
        segment: { id: 'ISA', position: interchange.isa.position },
        element: 'ISA13',
      });
    }
    this.#controlNumbers.add(isa13);
    this.problems.push(...problems);
    this.interchanges.push(interchange);
    this.#listener.interchange?.(interchange, problems);
  }
}

/**
 * Reads an interchange and checks its envelopes (see {@link EnvelopeReader}); a file may carry
 * several ISA ... IEA.
 */
export function readInterchange(text: string): ReadResult {
  const tokens = tokenize(text);
  const delimiters = tokens.delimiters;
  if (!delimiters || tokens.segments.length === 0)
    return { interchanges: [], problems: tokens.problems };
  const reader = new EnvelopeReader(delimiters);
  reader.push(tokens.segments, tokens.problems);
  reader.end();
  const first = reader.interchanges[0];
  return {
    ...(first ? { interchange: first } : {}),
    interchanges: reader.interchanges,
    problems: reader.problems,
  };
}

interface OpenInterchange {
  segment(s: Segment): void;
  /** A tokenizer problem about the segment about to be read (or about the end of the text). */
  tokenProblem(p: EdiProblem): void;
  /** A tokenizer problem inside an open set belongs to that set (the 997 reports it). */
  attachToSet(p: EdiProblem): void;
  finish(): { interchange: Interchange; problems: EdiProblem[] };
}

function openInterchange(
  isa: Segment,
  delimiters: Delimiters,
  listener: EnvelopeListener,
): OpenInterchange {
  const problems: EdiProblem[] = [];

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
  const interchange: Interchange = { header, delimiters, groups: [], isa };
  let last = isa;
  let setGroup: FunctionalGroup | undefined;
  /** ST02s of the open group: a lookup, not a scan, for groups of thousands of sets. */
  let setNumbers = new Set<string>();
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
    closeSet();
  };
  /** The set is complete: its envelope problems are known, the listener may map it. */
  const closeSet = () => {
    if (set && setGroup) listener.set?.(set, setGroup, interchange);
    set = undefined;
    setGroup = undefined;
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

  const read = (s: Segment) => {
    last = s;
    if (ended) {
      unexpected(s, 'comes after IEA, which ends the interchange');
      return;
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
        setNumbers = new Set();
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
        setGroup = group;
        const duplicate =
          group !== undefined && set.controlNumber !== '' && setNumbers.has(set.controlNumber);
        if (group) setNumbers.add(set.controlNumber);
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
        closeSet();
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
  };

  const finish = () => {
    if (!ended) {
      closeSetWithoutTrailer(last);
      closeGroupWithoutTrailer(last);
      report({
        code: 'missing-trailer',
        level: 'interchange',
        message: `The interchange has no IEA; it ends at ${at(last).slice(1, -1)}.`,
        segment: { id: last.id, position: last.position },
        element: 'IEA',
      });
    }
    return { interchange, problems };
  };
  return {
    segment: (s) => {
      if (s !== isa) read(s);
    },
    tokenProblem: (p) => problems.push(p),
    attachToSet: (p) => {
      const position = p.segment?.position;
      if (!set || !setGroup || position === undefined || position <= set.header.position) return;
      p.level = 'set';
      p.groupControlNumber = setGroup.controlNumber;
      p.setControlNumber = set.controlNumber;
      set.problems.push(p);
    },
    finish,
  };
}
