/** The X12 building blocks shared by the tokenizer, the envelope reader and the set mappings. */

export interface Delimiters {
  element: string;
  component: string;
  /** Absent before version 00402, where ISA11 is the standards identifier (`U`). */
  repetition?: string;
  segment: string;
}

/** One segment as read: `elements[0]` is the segment id, so `elements[1]` is e.g. BEG01. */
export interface Segment {
  id: string;
  elements: string[];
  /** 1-based position in the interchange (ISA is 1), as an analyst counts them. */
  position: number;
}

/** Every problem code, errors and warnings alike. */
export const EDI_PROBLEM_CODES = [
  'not-x12',
  'bad-isa',
  'bad-delimiters',
  'bad-segment',
  'trailing-text',
  'unexpected-segment',
  'missing-trailer',
  'count-mismatch',
  'control-mismatch',
  'unsupported-set',
  'missing-segment',
  'bad-element',
  // Mostly warnings: what the standard allows or real partners commonly send.
  'unknown-code',
  'short-date',
  'local-time',
  'default-applied',
  'missing-optional',
  'bad-check-digit',
  'isa-width',
  'no-final-terminator',
  'duplicate-control',
] as const;

export type EdiProblemCode = (typeof EDI_PROBLEM_CODES)[number];

/** Envelope/syntax problems make the 997 reject; mapping problems leave the 997 alone. */
export type EdiProblemLevel = 'interchange' | 'group' | 'set' | 'mapping';

export interface EdiProblem {
  code: EdiProblemCode;
  level: EdiProblemLevel;
  severity: 'error' | 'warning';
  message: string;
  /** The segment the problem is about, when there is one. */
  segment?: { id: string; position: number };
  /** The element reference, e.g. `SE01`. */
  element?: string;
  /** GS06 of the group and ST02 of the set the problem belongs to, when inside one. */
  groupControlNumber?: string;
  setControlNumber?: string;
  /** The 997 code for it: AK5 syntax error code (set level) or AK9 (group level). */
  ackCode?: string;
}

/** Where a problem is, in the words an analyst reads: `(segment 14, SE)`. */
export function at(segment: { id: string; position: number }): string {
  return `(segment ${segment.position}, ${segment.id})`;
}
