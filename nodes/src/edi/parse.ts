import { validateCanonical } from '../canonical/validate';
import { formatJsonPath } from '../sdk/json';
import { acknowledge } from './ack';
import type { ReadContext, ReadOptions } from './elements';
import { type Interchange, readInterchange, type TransactionSet } from './envelope';
import {
  type EdiValueType,
  isTransactionSetId,
  SET_MAPPINGS,
  SET_VALUE_TYPES,
  type TransactionSetId,
  type TransactionSetValues,
} from './registry';
import type { FunctionalAcknowledgment } from './sets/x997';
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

/**
 * Reads an X12 interchange: checks its envelopes, maps every transaction set Crossdock knows
 * to its canonical value and works out the 997. Never throws; everything wrong is a problem
 * that names the segment and its position.
 */
export function parseX12(text: string, options: ParseOptions = {}): ParseResult {
  const read = readInterchange(text);
  const problems = [...read.problems];
  const documents: EdiDocument[] = [];
  const interchanges: ParseResult['interchanges'] = [];
  for (const interchange of read.interchanges) {
    const mappingFailed = new Set<TransactionSet>();
    for (const group of interchange.groups) {
      for (const set of group.sets) {
        // A set whose envelope is broken is rejected whole: its content cannot be trusted.
        if (set.problems.some((p) => p.severity === 'error')) continue;
        const result = readSet(set, group.controlNumber, group.functionalId, options);
        problems.push(...result.problems);
        if (result.document) {
          documents.push({
            ...result.document,
            interchangeControlNumber: interchange.header.controlNumber,
          } as EdiDocument);
        } else if (isTransactionSetId(set.id)) {
          mappingFailed.add(set);
        }
      }
    }
    interchanges.push({
      interchange,
      acknowledgments: acknowledge(interchange, isTransactionSetId, {
        mappingFailed: options.acceptMappingErrors ? new Set() : mappingFailed,
        problems,
      }),
    });
  }
  problems.sort((a, b) => (a.segment?.position ?? 0) - (b.segment?.position ?? 0));
  return {
    ...(read.interchange ? { interchange: read.interchange } : {}),
    interchanges,
    documents,
    acknowledgments: interchanges.flatMap((i) => i.acknowledgments),
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
  };
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
