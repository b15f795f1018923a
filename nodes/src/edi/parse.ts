import { validateCanonical } from '../canonical/validate';
import { formatJsonPath } from '../sdk/json';
import { acknowledge } from './ack';
import type { ReadContext, ReadOptions } from './elements';
import {
  EnvelopeReader,
  type FunctionalGroup,
  type Interchange,
  type TransactionSet,
} from './envelope';
import {
  type EdiValueType,
  isTransactionSetId,
  SET_MAPPINGS,
  SET_VALUE_TYPES,
  type TransactionSetId,
  type TransactionSetValues,
} from './registry';
import type { FunctionalAcknowledgment } from './sets/x997';
import { type SegmentBatch, SegmentReader } from './tokenize';
import type { EdiProblem } from './types';

/** One transaction set, read and mapped to its canonical value. */
export type EdiDocument = {
  [K in TransactionSetId]: {
    set: K;
    type: EdiValueType;
    controlNumber: string;
    groupControlNumber: string;
    /** ISA13 of the interchange the set came in. */
    interchangeControlNumber: string;
    /** Position of the ST segment in the file. */
    position: number;
    value: TransactionSetValues[K];
    /** What the standard allows but Crossdock could not map exactly (raw values are kept). */
    warnings: EdiProblem[];
  };
}[TransactionSetId];

/** How to read a partner's interchange (from its trading-partner profile). */
export interface ParseOptions extends ReadOptions {
  /**
   * Acknowledge a set whose mapping failed as accepted (`AK5*A`), because the flow routes it to
   * an exception queue; by default it is rejected (`AK5*R` code 5).
   */
  acceptMappingErrors?: boolean;
}

export interface ParseResult {
  /** The first interchange of the file. */
  interchange?: Interchange;
  /** Every interchange of the file, each with the 997s that answer its groups. */
  interchanges: { interchange: Interchange; acknowledgments: FunctionalAcknowledgment[] }[];
  documents: EdiDocument[];
  /** The 997 content for each functional group received, over all interchanges. */
  acknowledgments: FunctionalAcknowledgment[];
  /** Envelope, syntax and mapping problems, in document order; warnings included. */
  problems: EdiProblem[];
  /** No error-level problem anywhere. */
  ok: boolean;
}

function readSet(
  set: TransactionSet,
  groupControlNumber: string,
  groupId: string,
  options: ParseOptions,
): {
  document?: Omit<EdiDocument, 'interchangeControlNumber'>;
  problems: EdiProblem[];
} {
  const ctx: ReadContext = {
    problems: [],
    setId: set.id,
    groupControlNumber,
    setControlNumber: set.controlNumber,
    options,
  };
  const result = mapSet(ctx, set, groupControlNumber, groupId);
  return result;
}

function mapSet(
  ctx: ReadContext,
  set: TransactionSet,
  groupControlNumber: string,
  groupId: string,
): {
  document?: Omit<EdiDocument, 'interchangeControlNumber'>;
  problems: EdiProblem[];
} {
  const strict = ctx.options?.strict === true;
  const harden = () => {
    if (!strict) return;
    for (const p of ctx.problems) {
      if (p.severity === 'warning' && p.level === 'mapping') {
        p.severity = 'error';
        p.message = `${p.message} (strict: this partner's warnings are errors)`;
      }
    }
  };
  if (!isTransactionSetId(set.id)) {
    ctx.problems.push({
      code: 'unsupported-set',
      level: 'set',
      severity: 'error',
      message: `Transaction set ${set.id || '(empty ST01)'} is not one Crossdock reads (segment ${set.header.position}, ST).`,
      segment: { id: 'ST', position: set.header.position },
      element: 'ST01',
      groupControlNumber,
      setControlNumber: set.controlNumber,
    });
    return { problems: ctx.problems };
  }
  const id: TransactionSetId = set.id;
  const mapping = SET_MAPPINGS[id];
  if (mapping.functionalId !== groupId) {
    ctx.problems.push({
      code: 'unexpected-segment',
      level: 'mapping',
      severity: 'warning',
      message: `A ${id} belongs in a ${mapping.functionalId} group, but GS01 is ${groupId} (segment ${set.header.position}, ST).`,
      segment: { id: 'ST', position: set.header.position },
      groupControlNumber,
      setControlNumber: set.controlNumber,
    });
  }
  let value: TransactionSetValues[TransactionSetId] | undefined;
  try {
    value = mapping.read(ctx, set.body);
  } catch (error) {
    // A mapping bug must cost this set only, never the rest of the interchange.
    ctx.problems.push({
      code: 'bad-element',
      level: 'mapping',
      severity: 'error',
      message: `Transaction set ${id} ${set.controlNumber} could not be mapped: ${error instanceof Error ? error.message : String(error)} (segment ${set.header.position}, ST).`,
      segment: { id: 'ST', position: set.header.position },
      groupControlNumber,
      setControlNumber: set.controlNumber,
    });
    return { problems: ctx.problems };
  }
  harden();
  if (value === undefined || ctx.problems.some((p) => p.severity === 'error')) {
    return { problems: ctx.problems };
  }
  const type = SET_VALUE_TYPES[id];
  if (type !== 'FunctionalAcknowledgment') {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      for (const p of validateCanonical(type, item)) {
        const path = Array.isArray(value) ? [index, ...p.pointer] : p.pointer;
        ctx.problems.push({
          code: 'bad-element',
          level: 'mapping',
          severity: 'error',
          message: `${id} ${set.controlNumber} maps to a ${type} that is not valid at ${formatJsonPath(path)}: ${p.message}`,
          segment: { id: 'ST', position: set.header.position },
          groupControlNumber,
          setControlNumber: set.controlNumber,
        });
      }
    });
    if (ctx.problems.some((p) => p.severity === 'error')) return { problems: ctx.problems };
  }
  const document = {
    set: id,
    type,
    controlNumber: set.controlNumber,
    groupControlNumber,
    position: set.header.position,
    value,
    warnings: ctx.problems.filter((p) => p.severity === 'warning'),
  } as Omit<EdiDocument, 'interchangeControlNumber'>;
  return { document, problems: ctx.problems };
}

/** One interchange read whole: its header and the 997s that answer its groups. */
export interface InterchangeRead {
  interchange: Interchange;
  acknowledgments: FunctionalAcknowledgment[];
  /** Its envelope, syntax and mapping problems, in document order. */
  problems: EdiProblem[];
}

/** What {@link X12Reader} hands on as it reads. */
export interface X12Listener {
  document?(document: EdiDocument): void;
  interchange?(read: InterchangeRead): void;
}

const byPosition = (a: EdiProblem, b: EdiProblem) =>
  (a.segment?.position ?? 0) - (b.segment?.position ?? 0);

/**
 * Reads X12 text as it arrives: segments are checked and each transaction set is mapped as
 * soon as its SE is read, then its segments are let go (unless `keepSegments`), so memory
 * stays flat in the file size. Never throws; everything wrong is a problem that names the
 * segment and its position.
 */
export class X12Reader {
  readonly #options: ParseOptions;
  readonly #listener: X12Listener;
  readonly #keepSegments: boolean;
  readonly #segments = new SegmentReader();
  #envelope: EnvelopeReader | undefined;
  #mappingProblems: EdiProblem[] = [];
  #mappingFailed = new Set<TransactionSet>();
  /** Problems found before any interchange could be read (not X12, a broken ISA). */
  readonly problems: EdiProblem[] = [];
  ok = true;

  constructor(options: ParseOptions = {}, listener: X12Listener = {}, keepSegments = false) {
    this.#options = options;
    this.#listener = listener;
    this.#keepSegments = keepSegments;
  }

  push(text: string): void {
    this.#read(this.#segments.push(text));
  }

  end(): void {
    this.#read(this.#segments.end());
    this.#envelope?.end();
    if (this.problems.some((p) => p.severity === 'error')) this.ok = false;
  }

  #read(batch: SegmentBatch): void {
    const delimiters = this.#segments.delimiters;
    if (!delimiters) {
      this.problems.push(...batch.problems);
      return;
    }
    this.#envelope ??= new EnvelopeReader(delimiters, {
      set: (set, group, interchange) => this.#set(set, group, interchange),
      interchange: (interchange, problems) => this.#interchange(interchange, problems),
    });
    this.#envelope.push(batch.segments, batch.problems);
  }

  #set(set: TransactionSet, group: FunctionalGroup, interchange: Interchange): void {
    // A set whose envelope is broken is rejected whole: its content cannot be trusted.
    if (!set.problems.some((p) => p.severity === 'error')) {
      const result = readSet(set, group.controlNumber, group.functionalId, this.#options);
      this.#mappingProblems.push(...result.problems);
      if (result.document) {
        this.#listener.document?.({
          ...result.document,
          interchangeControlNumber: interchange.header.controlNumber,
        } as EdiDocument);
      } else if (isTransactionSetId(set.id)) {
        this.#mappingFailed.add(set);
      }
    }
    // The 997 needs the set's envelope only; its segments can go.
    if (!this.#keepSegments && set.trailer) set.body = [];
  }

  #interchange(interchange: Interchange, envelopeProblems: EdiProblem[]): void {
    const problems = [...envelopeProblems, ...this.#mappingProblems].sort(byPosition);
    const acknowledgments = acknowledge(interchange, isTransactionSetId, {
      mappingFailed: this.#options.acceptMappingErrors ? new Set() : this.#mappingFailed,
      problems,
    });
    this.#mappingProblems = [];
    this.#mappingFailed = new Set();
    if (problems.some((p) => p.severity === 'error')) this.ok = false;
    this.#listener.interchange?.({ interchange, acknowledgments, problems });
  }
}

/**
 * Reads an X12 interchange: checks its envelopes, maps every transaction set Crossdock knows
 * to its canonical value and works out the 997. Never throws; everything wrong is a problem
 * that names the segment and its position. For large files, {@link streamX12} reads the same
 * way without holding the whole file's segments and documents.
 */
export function parseX12(text: string, options: ParseOptions = {}): ParseResult {
  const documents: EdiDocument[] = [];
  const interchanges: ParseResult['interchanges'] = [];
  const problems: EdiProblem[] = [];
  const reader = new X12Reader(
    options,
    {
      document: (document) => documents.push(document),
      interchange: ({ interchange, acknowledgments, problems: found }) => {
        interchanges.push({ interchange, acknowledgments });
        problems.push(...found);
      },
    },
    true,
  );
  reader.push(text);
  reader.end();
  problems.push(...reader.problems);
  problems.sort(byPosition);
  const first = interchanges[0]?.interchange;
  return {
    ...(first ? { interchange: first } : {}),
    interchanges,
    documents,
    acknowledgments: interchanges.flatMap((i) => i.acknowledgments),
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
  };
}

/** What {@link streamX12} yields, in document order. */
export type X12StreamEvent =
  | { kind: 'document'; document: EdiDocument }
  | ({ kind: 'interchange' } & InterchangeRead)
  | { kind: 'end'; ok: boolean; problems: EdiProblem[] };

/**
 * Reads a large X12 file piece by piece (e.g. a file stream's chunks) and yields each
 * transaction set's document as soon as it is mapped, each interchange with its 997s and
 * problems once its IEA is read, and an end event. Memory stays flat in the file size: only
 * the unfinished segment, the open set and one small record per set (for the 997) are held.
 */
export async function* streamX12(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<X12StreamEvent, void, undefined> {
  const out: X12StreamEvent[] = [];
  const reader = new X12Reader(options, {
    document: (document) => out.push({ kind: 'document', document }),
    interchange: (read) => out.push({ kind: 'interchange', ...read }),
  });
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    yield* out.splice(0);
  }
  reader.push(decoder.decode());
  reader.end();
  yield* out.splice(0);
  yield { kind: 'end', ok: reader.ok, problems: reader.problems };
}

/** A problem as one line: `error SE01 says 12 segments, found 11 (segment 14, SE)`. */
export function formatProblem(p: EdiProblem): string {
  return `${p.severity} ${p.message}`;
}

/** The problems of a parse split by severity (what `crossdock edi parse` prints apart). */
export function splitProblems(problems: EdiProblem[]): {
  errors: EdiProblem[];
  warnings: EdiProblem[];
} {
  return {
    errors: problems.filter((p) => p.severity === 'error'),
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}
