import { validateCanonical } from '../canonical/validate';
import { PermanentError } from '../sdk/errors';
import { formatJsonPath } from '../sdk/json';
import { checkSchema } from '../sdk/schema-check';
import type { Out } from './elements';
import type { ParseResult } from './parse';
import {
  SET_MAPPINGS,
  SET_VALUE_TYPES,
  type TransactionSetId,
  type TransactionSetValues,
} from './registry';
import { milestoneCodeProblem } from './sets/x214';
import { functionalAcknowledgmentSchema } from './sets/x997';
import type { Delimiters } from './types';

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
  /** Interchange version: 00401 (GS08 004010) or 00501 (GS08 005010). */
  version?: '00401' | '00501';
  /** Write CR LF after every segment terminator (easier to read; partners accept it). */
  lineBreaks?: boolean;
}

export type OutgoingDocument = {
  [K in TransactionSetId]: { set: K; value: TransactionSetValues[K] };
}[TransactionSetId];

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
  if (documents.length === 0)
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
  const d: Delimiters = {
    element: env.delimiters?.element ?? '*',
    component: env.delimiters?.component ?? '>',
    segment: env.delimiters?.segment ?? '~',
    ...(version === '00501' ? { repetition: env.delimiters?.repetition ?? '^' } : {}),
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
  const groups = new Map<string, OutgoingDocument[]>();
  for (const doc of documents) {
    checkValue(doc.value, doc.set);
    const fid = SET_MAPPINGS[doc.set].functionalId;
    groups.set(fid, [...(groups.get(fid) ?? []), doc]);
  }
  let groupIndex = 0;
  for (const [fid, docs] of groups) {
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
      version === '00501' ? '005010' : '004010',
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
  controlNumber: number;
  date: Date;
  delimiters?: Partial<Delimiters>;
  lineBreaks?: boolean;
}

/**
 * The 997 interchange answering a parsed one: sender and receiver swapped, one 997 per
 * functional group received. Undefined when the text was not readable as an interchange.
 */
export function generateAck(result: ParseResult, options: AckOptions): string | undefined {
  const ic = result.interchange;
  if (!ic || result.acknowledgments.length === 0) return undefined;
  const first = ic.groups[0];
  return generateX12(
    result.acknowledgments.map((value) => ({ set: '997' as const, value })),
    {
      senderId: ic.header.receiverId || 'UNKNOWN',
      senderQualifier: ic.header.receiverQualifier || 'ZZ',
      receiverId: ic.header.senderId || 'UNKNOWN',
      receiverQualifier: ic.header.senderQualifier || 'ZZ',
      ...(first?.receiverCode ? { senderCode: first.receiverCode } : {}),
      ...(first?.senderCode ? { receiverCode: first.senderCode } : {}),
      controlNumber: options.controlNumber,
      date: options.date,
      usage: ic.header.usage === 'T' ? 'T' : 'P',
      ...(options.delimiters ? { delimiters: options.delimiters } : {}),
      ...(options.lineBreaks !== undefined ? { lineBreaks: options.lineBreaks } : {}),
    },
  );
}
