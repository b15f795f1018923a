import { validateCanonical } from '../canonical/validate';
import { PermanentError } from '../sdk/errors';
import { formatJsonPath } from '../sdk/json';
import { checkSchema } from '../sdk/schema-check';
import type { Out } from './elements';
import type { Interchange } from './envelope';
import type { ParseResult } from './parse';
import {
  SET_MAPPINGS,
  SET_VALUE_TYPES,
  type TransactionSetId,
  type TransactionSetValues,
} from './registry';
import { milestoneCodeProblem } from './sets/x214';
import { functionalAcknowledgmentSchema } from './sets/x997';
import type { Delimiters, EdiProblem } from './types';

/** Envelope settings of an outgoing interchange. */
export interface EnvelopeSettings {
  senderId: string;
  /** ISA05/07 qualifier: ZZ mutually defined, 01 DUNS, 12 phone, 08 UCC... */
  senderQualifier?: string;
  receiverId: string;
  receiverQualifier?: string;
  /** GS02/GS03 application codes; the ISA ids when absent. */
  senderCode?: string;
  receiverCode?: string;
  /** ISA13 (1 to 999999999); GS06 of the n-th group is this plus n. */
  controlNumber: number;
  date: Date;
  /** ISA15: P production, T test. */
  usage?: 'P' | 'T';
  ackRequested?: boolean;
  /** `*`, `>`, `~` by default (with `^` repetition in 00501). */
  delimiters?: Partial<Delimiters>;
  /**
   * Interchange version (ISA12), e.g. 00401, 00403, 00406 or 00501; GS08 is this plus `0`
   * unless a document says its own. From 00402 on, ISA11 is the repetition separator.
   */
  version?: string;
  /** A TA1 (interchange acknowledgment) written right after ISA. */
  ta1?: InterchangeAck;
  /** Write CR LF after every segment terminator (easier to read; partners accept it). */
  lineBreaks?: boolean;
}

export type OutgoingDocument = {
  [K in TransactionSetId]: {
    set: K;
    value: TransactionSetValues[K];
    /** GS08 of the group it travels in (e.g. 004030); the interchange's version by default. */
    version?: string;
  };
}[TransactionSetId];

/** TA1: the interchange's own acknowledgment. */
export interface InterchangeAck {
  /** ISA13, ISA09 and ISA10 of the interchange answered. */
  controlNumber: string;
  date: string;
  time: string;
  /** A accepted, E accepted with errors, R rejected. */
  status: 'A' | 'E' | 'R';
  /** TA105 note code: 000 no error, 001 IEA02 differs, 021 IEA01 wrong, 023 premature end... */
  noteCode: string;
}

const ISA_WIDTHS = { id: 15, qualifier: 2 };

function checkValue(value: TransactionSetValues[TransactionSetId], set: TransactionSetId): void {
  const type = SET_VALUE_TYPES[set];
  const items: unknown[] = Array.isArray(value) ? value : [value];
  if (set === '214' && items.length === 0) {
    throw new PermanentError('invalid-input', 'A 214 needs at least one milestone.');
  }
  const check = (item: unknown) =>
    type === 'FunctionalAcknowledgment'
      ? checkSchema(functionalAcknowledgmentSchema, item)
      : validateCanonical(type, item);
  const problems = items.flatMap((item, index) =>
    check(item).map((p) => ({
      path: formatJsonPath(Array.isArray(value) ? [index, ...p.pointer] : p.pointer),
      message: p.message,
    })),
  );
  if (set === '214' && Array.isArray(value)) {
    value.forEach((m, index) => {
      const problem = milestoneCodeProblem(m);
      if (problem) problems.push({ path: formatJsonPath([index, 'statusCode']), message: problem });
    });
  }
  if (problems.length > 0) {
    throw new PermanentError(
      'invalid-input',
      `The ${type} for a ${set} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
}

function pad9(n: number): string {
  return String(n).padStart(9, '0');
}

/**
 * Writes canonical values as one X12 interchange: one functional group per functional id, one
 * transaction set per value, with correct counts and control numbers. Refuses (PermanentError)
 * a value that is not valid canonically, a code with no X12 equivalent, or text that contains
 * a delimiter (X12 has no escape).
 */
export function generateX12(documents: OutgoingDocument[], env: EnvelopeSettings): string {
  if (documents.length === 0 && !env.ta1)
    throw new PermanentError('invalid-input', 'Nothing to send: no documents.');
  if (
    !Number.isInteger(env.controlNumber) ||
    env.controlNumber < 1 ||
    env.controlNumber > 999_999_999
  ) {
    throw new PermanentError(
      'invalid-config',
      `Control number ${env.controlNumber} is not between 1 and 999999999.`,
    );
  }
  const version = env.version ?? '00401';
  if (!/^\d{5}$/.test(version)) {
    throw new PermanentError('invalid-config', `ISA12 version "${version}" is not 5 digits.`);
  }
  const withRepetition = version >= '00402';
  const d: Delimiters = {
    element: env.delimiters?.element ?? '*',
    component: env.delimiters?.component ?? '>',
    segment: env.delimiters?.segment ?? '~',
    ...(withRepetition ? { repetition: env.delimiters?.repetition ?? '^' } : {}),
  };
  const delimiterChars = [
    d.element,
    d.component,
    d.segment,
    ...(d.repetition ? [d.repetition] : []),
  ];
  if (
    new Set(delimiterChars).size !== delimiterChars.length ||
    delimiterChars.some((c) => c.length !== 1)
  ) {
    throw new PermanentError(
      'invalid-config',
      'The delimiters must be four distinct single characters.',
    );
  }
  for (const [what, id, max] of [
    ['Sender id', env.senderId, ISA_WIDTHS.id],
    ['Receiver id', env.receiverId, ISA_WIDTHS.id],
    ['Sender qualifier', env.senderQualifier ?? 'ZZ', ISA_WIDTHS.qualifier],
    ['Receiver qualifier', env.receiverQualifier ?? 'ZZ', ISA_WIDTHS.qualifier],
  ] as const) {
    if (id.length === 0 || id.length > max) {
      throw new PermanentError('invalid-config', `${what} "${id}" must be 1 to ${max} characters.`);
    }
  }
  const iso = env.date.toISOString();
  const ccyymmdd = iso.slice(0, 10).replaceAll('-', '');
  const hhmm = iso.slice(11, 13) + iso.slice(14, 16);
  const segments: Out[] = [];
  segments.push([
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    (env.senderQualifier ?? 'ZZ').padEnd(2),
    env.senderId.padEnd(15),
    (env.receiverQualifier ?? 'ZZ').padEnd(2),
    env.receiverId.padEnd(15),
    ccyymmdd.slice(2),
    hhmm,
    d.repetition ?? 'U',
    version,
    pad9(env.controlNumber),
    env.ackRequested ? '1' : '0',
    env.usage ?? 'P',
    d.component,
  ]);
  if (env.ta1) {
    const t = env.ta1;
    segments.push(['TA1', t.controlNumber, t.date, t.time, t.status, t.noteCode]);
  }
  const groups = new Map<string, OutgoingDocument[]>();
  for (const doc of documents) {
    checkValue(doc.value, doc.set);
    const key = `${SET_MAPPINGS[doc.set].functionalId}:${doc.version ?? `${version}0`}`;
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  let groupIndex = 0;
  for (const [key, docs] of groups) {
    const [fid = '', groupVersion = ''] = key.split(':');
    const gs06 = String(((env.controlNumber + groupIndex++ - 1) % 999_999_999) + 1);
    segments.push([
      'GS',
      fid,
      env.senderCode ?? env.senderId,
      env.receiverCode ?? env.receiverId,
      ccyymmdd,
      hhmm,
      gs06,
      'X',
      groupVersion,
    ]);
    docs.forEach((doc, index) => {
      const st02 = String(index + 1).padStart(4, '0');
      const mapping = SET_MAPPINGS[doc.set] as { write(value: unknown): Out[] };
      const body = mapping.write(doc.value);
      segments.push(['ST', doc.set, st02], ...body, ['SE', String(body.length + 2), st02]);
    });
    segments.push(['GE', String(docs.length), gs06]);
  }
  segments.push(['IEA', String(groups.size), pad9(env.controlNumber)]);
  return serialize(segments, d, env.lineBreaks ?? false);
}

function serialize(segments: Out[], d: Delimiters, lineBreaks: boolean): string {
  const forbidden = [d.element, d.segment, d.component, ...(d.repetition ? [d.repetition] : [])];
  const lines = segments.map((segment, index) => {
    const elements = [...segment];
    if (segment[0] !== 'ISA')
      while (elements.length > 1 && elements[elements.length - 1] === '') elements.pop();
    elements.forEach((value, n) => {
      // ISA11 (5010) and ISA16 are where the repetition and component separators are declared.
      if (segment[0] === 'ISA' && (n === 11 || n === 16)) return;
      const bad = forbidden.find((c) => value.includes(c));
      if (bad !== undefined) {
        throw new PermanentError(
          'invalid-input',
          `${segment[0]}${String(n).padStart(2, '0')} "${value}" contains the delimiter "${bad}" (segment ${index + 1}); X12 cannot escape it, so choose other delimiters or change the value.`,
        );
      }
    });
    return elements.join(d.element) + d.segment;
  });
  return lines.join(lineBreaks ? '\r\n' : '') + (lineBreaks ? '\r\n' : '');
}

/** Options for the 997 sent back for a received interchange. */
export interface AckOptions {
  /** ISA13 of the (first) answering interchange; the next ones count up from it. */
  controlNumber: number;
  date: Date;
  delimiters?: Partial<Delimiters>;
  lineBreaks?: boolean;
  /** Answer each interchange with a TA1 too (interchange-level acceptance and problems). */
  ta1?: boolean;
}

/** TA105 note codes for the interchange problems that have one. */
function ta1Of(result: ParseResult, ic: Interchange): InterchangeAck {
  const start = ic.isa.position;
  const end = ic.iea?.position ?? Number.POSITIVE_INFINITY;
  const mine = result.problems.filter(
    (p) =>
      p.level === 'interchange' &&
      (p.segment === undefined || (p.segment.position >= start && p.segment.position <= end)),
  );
  const note = (p: EdiProblem): string => {
    if (p.code === 'control-mismatch' && p.element === 'IEA02') return '001';
    if (p.code === 'count-mismatch' && p.element === 'IEA01') return '021';
    if (p.code === 'missing-trailer') return '023';
    if (p.code === 'duplicate-control' && p.element === 'ISA13') return '025';
    if (p.code === 'duplicate-control') return '024';
    if (p.element === 'ISA16') return '027';
    if (p.code === 'isa-width') return '022';
    return '024';
  };
  const errors = mine.filter((p) => p.severity === 'error');
  const first = errors[0] ?? mine[0];
  return {
    controlNumber: ic.header.controlNumber || '000000000',
    date: /^\d{6}$/.test(ic.header.date) ? ic.header.date : '000000',
    time: /^\d{4}$/.test(ic.header.time) ? ic.header.time : '0000',
    status: errors.length > 0 ? 'R' : mine.length > 0 ? 'E' : 'A',
    noteCode: first ? note(first) : '000',
  };
}

/** Delimiters for an answer: the requested ones, else the first candidates the data lacks. */
function safeDelimiters(
  values: string[],
  wanted: Partial<Delimiters> | undefined,
): Partial<Delimiters> {
  const text = values.join('');
  const taken = new Set<string>();
  const pick = (want: string | undefined, candidates: string[]) => {
    const c =
      want ?? candidates.find((x) => !text.includes(x) && !taken.has(x)) ?? candidates[0] ?? '*';
    taken.add(c);
    return c;
  };
  return {
    element: pick(wanted?.element, ['*', '|', '+', '!']),
    segment: pick(wanted?.segment, ['~', "'", '\\', '#']),
    component: pick(wanted?.component, ['>', ':', '<', '@']),
    repetition: pick(wanted?.repetition, ['^', '{', '}', '`']),
  };
}

/**
 * The acknowledgment interchange(s) answering a parsed file: sender and receiver swapped, one
 * 997 per functional group received, in that group's version (never for a group of 997s),
 * and a TA1 when asked. One answering interchange per interchange received. Undefined when
 * there is nothing to answer (the text was not an interchange, or it held only 997s and no
 * TA1 was asked).
 */
export function generateAck(result: ParseResult, options: AckOptions): string | undefined {
  const out: string[] = [];
  result.interchanges.forEach(({ interchange: ic, acknowledgments }, index) => {
    if (acknowledgments.length === 0 && !options.ta1) return;
    const first = ic.groups[0];
    const values = [
      ic.header.senderId,
      ic.header.receiverId,
      first?.senderCode ?? '',
      first?.receiverCode ?? '',
      ...acknowledgments.flatMap((a) => [
        a.groupControlNumber,
        ...a.sets.flatMap((s) => [
          s.set,
          s.controlNumber,
          ...s.segmentErrors.map((e) => e.segmentId),
        ]),
      ]),
    ];
    const isaVersion = /^\d{5}$/.test(ic.header.version) ? ic.header.version : '00401';
    out.push(
      generateX12(
        acknowledgments.map((value) => {
          const { version, ...ack } = value;
          const gs08 = version && /^\d{6}[A-Z0-9]*$/.test(version) ? version : `${isaVersion}0`;
          return { set: '997' as const, value: ack, version: gs08 };
        }),
        {
          senderId: ic.header.receiverId.slice(0, 15) || 'UNKNOWN',
          senderQualifier: ic.header.receiverQualifier.slice(0, 2) || 'ZZ',
          receiverId: ic.header.senderId.slice(0, 15) || 'UNKNOWN',
          receiverQualifier: ic.header.senderQualifier.slice(0, 2) || 'ZZ',
          ...(first?.receiverCode ? { senderCode: first.receiverCode } : {}),
          ...(first?.senderCode ? { receiverCode: first.senderCode } : {}),
          controlNumber: ((options.controlNumber + index - 1) % 999_999_999) + 1,
          date: options.date,
          usage: ic.header.usage === 'T' ? 'T' : 'P',
          version: isaVersion,
          delimiters: safeDelimiters(values, options.delimiters),
          ...(options.ta1 ? { ta1: ta1Of(result, ic) } : {}),
          ...(options.lineBreaks !== undefined ? { lineBreaks: options.lineBreaks } : {}),
        },
      ),
    );
  });
  return out.length > 0 ? out.join('') : undefined;
}
