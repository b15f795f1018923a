import { validateCanonical } from '../canonical/validate';
import { formatJsonPath } from '../sdk/json';
import { acknowledge } from './ack';
import type { ReadContext } from './elements';
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
    /** Position of the ST segment in the interchange. */
    position: number;
    value: TransactionSetValues[K];
  };
}[TransactionSetId];

export interface ParseResult {
  interchange?: Interchange;
  documents: EdiDocument[];
  /** The 997 content for each functional group received (what `ack` sends back). */
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
): {
  document?: EdiDocument;
  problems: EdiProblem[];
} {
  const ctx: ReadContext = {
    problems: [],
    setId: set.id,
    groupControlNumber,
    setControlNumber: set.controlNumber,
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
  const value = mapping.read(ctx, set.body);
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
  } as EdiDocument;
  return { document, problems: ctx.problems };
}

/**
 * Reads an X12 interchange: checks its envelopes, maps every transaction set Crossdock knows
 * to its canonical value and works out the 997. Never throws; everything wrong is a problem
 * that names the segment and its position.
 */
export function parseX12(text: string): ParseResult {
  const read = readInterchange(text);
  const problems = [...read.problems];
  const documents: EdiDocument[] = [];
  const interchange = read.interchange;
  if (interchange) {
    for (const group of interchange.groups) {
      for (const set of group.sets) {
        // A set whose envelope is broken is rejected whole: its content cannot be trusted.
        if (set.problems.some((p) => p.severity === 'error')) continue;
        const result = readSet(set, group.controlNumber, group.functionalId);
        problems.push(...result.problems);
        if (result.document) documents.push(result.document);
      }
    }
  }
  problems.sort((a, b) => (a.segment?.position ?? 0) - (b.segment?.position ?? 0));
  const acknowledgments = interchange ? acknowledge(interchange, isTransactionSetId) : [];
  return {
    ...(interchange ? { interchange } : {}),
    documents,
    acknowledgments,
    problems,
    ok: !problems.some((p) => p.severity === 'error'),
  };
}

/** A problem as one line: `error SE01 says 12 segments, found 11 (segment 14, SE)`. */
export function formatProblem(p: EdiProblem): string {
  return `${p.severity} ${p.message}`;
}
