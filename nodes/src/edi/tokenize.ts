import { at, type Delimiters, type EdiProblem, type Segment } from './types';

export interface Tokens {
  delimiters?: Delimiters;
  segments: Segment[];
  problems: EdiProblem[];
}

/** ISA is fixed width: the element separator sits at these offsets, ISA16 at 104. */
const ISA_SEPARATOR_OFFSETS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];
const ISA_LENGTH = 106;

const problem = (code: EdiProblem['code'], message: string, extra: Partial<EdiProblem> = {}) =>
  ({ code, level: 'interchange', severity: 'error', message, ...extra }) satisfies EdiProblem;

const isDelimiterChar = (c: string) => c.length === 1 && !/[A-Za-z0-9 ]/.test(c);

const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;

/** How many characters the header check may need: a loose ISA is ended by the first GS. */
const HEADER_LOOKAHEAD = 400;

type Header =
  | { delimiters: Delimiters; problems: EdiProblem[] }
  | { delimiters?: undefined; problems: EdiProblem[] };

/** Reads the delimiters from the ISA at the start of `text` (BOM and blank lines removed). */
function readHeader(text: string): Header {
  if (!text.startsWith('ISA')) {
    return {
      problems: [problem('not-x12', 'This is not an X12 interchange: it must start with ISA.')],
    };
  }
  if (text.length < ISA_LENGTH) {
    return {
      problems: [
        problem(
          'bad-isa',
          `The ISA segment is ${ISA_LENGTH} characters long; the text has only ${text.length}.`,
          { segment: { id: 'ISA', position: 1 } },
        ),
      ],
    };
  }
  const element = text.charAt(3);
  const isa = { id: 'ISA', position: 1 };
  const fixed = ISA_SEPARATOR_OFFSETS.every((offset) => text.charAt(offset) === element);
  let component = text.charAt(104);
  let segment = text.charAt(105);
  let isa11 = text.charAt(82);
  const headerProblems: EdiProblem[] = [];
  if (!fixed) {
    const loose = readLooseIsa(text, element);
    if (!loose) {
      const bad = ISA_SEPARATOR_OFFSETS.find((offset) => text.charAt(offset) !== element) ?? 3;
      return {
        problems: [
          problem(
            'bad-isa',
            `ISA is not fixed width: expected the element separator "${element}" at character ${bad + 1}, found "${text.charAt(bad)}", and no GS follows that would show where ISA ends ${at(isa)}.`,
            { segment: isa },
          ),
        ],
      };
    }
    ({ component, segment, isa11 } = loose);
    headerProblems.push(...loose.problems);
  }
  const delimiters: Delimiters = { element, component, segment };
  if (isDelimiterChar(isa11)) delimiters.repetition = isa11;
  const used = [
    element,
    component,
    segment,
    ...(delimiters.repetition ? [delimiters.repetition] : []),
  ];
  if (
    !isDelimiterChar(element) ||
    !isDelimiterChar(component) ||
    !(isDelimiterChar(segment) || segment === '\n' || segment === '\r') ||
    new Set(used).size !== used.length
  ) {
    return {
      problems: [
        problem(
          'bad-delimiters',
          `The delimiters in ISA (element "${element}", component "${component}", segment ${JSON.stringify(segment)}) must be distinct and not letters, digits or spaces ${at(isa)}.`,
          { segment: isa },
        ),
      ],
    };
  }
  return { delimiters, problems: headerProblems };
}

/** What one push into a {@link SegmentReader} produced, in document order. */
export interface SegmentBatch {
  segments: Segment[];
  /** Problems found in this text; each one that is about a segment names its position. */
  problems: EdiProblem[];
}

/**
 * Splits an X12 interchange into segments as its text arrives, holding only the unfinished
 * last segment: a 15 MB file is read in chunks without its segments all being in memory at once.
 * The delimiters come from the ISA segment itself (element separator at offset 3, repetition
 * separator in ISA11 from 5010 on, component separator in ISA16 and the segment terminator
 * right after it). A CR and/or LF after each terminator is allowed (many partners send one
 * segment per line). Never throws: whatever is wrong comes back as problems.
 */
export class SegmentReader {
  #pending = '';
  #started = false;
  #failed = false;
  #count = 0;
  #delimiters: Delimiters | undefined;

  /** The delimiters, once the ISA has been read. */
  get delimiters(): Delimiters | undefined {
    return this.#delimiters;
  }

  /** Feeds the next piece of text; returns the segments it completed. */
  push(chunk: string): SegmentBatch {
    if (this.#failed) return { segments: [], problems: [] };
    this.#pending += chunk;
    const out: SegmentBatch = { segments: [], problems: [] };
    if (!this.#started) {
      this.#pending = this.#pending.replace(/^\uFEFF/, '').replace(/^\s+/, '');
      if (this.#pending.length < HEADER_LOOKAHEAD) return out;
      this.#start(out);
    }
    const terminator = this.#delimiters?.segment;
    if (terminator === undefined) return out;
    const last = this.#pending.lastIndexOf(terminator);
    if (last < 0) return out;
    const complete = this.#pending.slice(0, last);
    this.#pending = this.#pending.slice(last + 1);
    for (const raw of complete.split(terminator)) this.#segment(raw, out);
    return out;
  }

  /** Ends the text: reads what is left, a last segment without its terminator included. */
  end(): SegmentBatch {
    const out: SegmentBatch = { segments: [], problems: [] };
    if (!this.#started) {
      this.#pending = this.#pending.replace(/^\uFEFF/, '').replace(/^\s+/, '');
      this.#start(out);
      const rest = this.push('');
      out.segments.push(...rest.segments);
      out.problems.push(...rest.problems);
    }
    const delimiters = this.#delimiters;
    if (this.#failed || !delimiters) return out;
    const last = this.#pending.trim();
    this.#pending = '';
    if (last === '') return out;
    // Many writers end the file without a terminator after IEA: read the segment, with a warning.
    if (new RegExp(`^[A-Z][A-Z0-9]{1,2}${escapeRegExp(delimiters.element)}`).test(last)) {
      out.problems.push(
        problem(
          'no-final-terminator',
          `The last segment (${last.slice(0, 3)}) has no segment terminator "${delimiters.segment === '\n' ? '\\n' : delimiters.segment}"; it is read anyway.`,
          {
            severity: 'warning',
            segment: { id: last.split(delimiters.element)[0] ?? '', position: this.#count + 1 },
          },
        ),
      );
      this.#segment(last, out);
    } else {
      out.problems.push(
        problem(
          'trailing-text',
          `Text after the last segment terminator: ${JSON.stringify(last.slice(0, 40))}.`,
        ),
      );
    }
    return out;
  }

  #start(out: SegmentBatch): void {
    this.#started = true;
    const header = readHeader(this.#pending);
    out.problems.push(...header.problems);
    if (!header.delimiters) {
      this.#failed = true;
      this.#pending = '';
      return;
    }
    this.#delimiters = header.delimiters;
  }

  #segment(raw: string, out: SegmentBatch): void {
    const body = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    if (body === '' || !this.#delimiters) return;
    const elements = body.split(this.#delimiters.element);
    const id = elements[0] ?? '';
    const position = ++this.#count;
    if (!SEGMENT_ID.test(id)) {
      out.problems.push(
        problem(
          'bad-segment',
          `Segment ${position} starts with ${JSON.stringify(id.slice(0, 10))}, which is not a segment id.`,
          { segment: { id: id.slice(0, 3), position } },
        ),
      );
    }
    out.segments.push({ id, elements, position });
  }
}

/** Splits a whole interchange into segments (see {@link SegmentReader}). Never throws. */
export function tokenize(input: string): Tokens {
  const reader = new SegmentReader();
  const first = reader.push(input);
  const rest = reader.end();
  const delimiters = reader.delimiters;
  return {
    ...(delimiters ? { delimiters } : {}),
    segments: [...first.segments, ...rest.segments],
    problems: [...first.problems, ...rest.problems],
  };
}

const escapeRegExp = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Element widths of ISA01..ISA16, as the standard fixes them. */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/**
 * Reads an ISA that is not fixed width (a generator that trims or over-pads its ids): ISA ends
 * at the segment terminator before the first GS. Returns undefined when no GS shows where.
 */
function readLooseIsa(
  text: string,
  element: string,
): { component: string; segment: string; isa11: string; problems: EdiProblem[] } | undefined {
  const gs = new RegExp(`([^A-Za-z0-9 ])[\\r\\n]*GS${escapeRegExp(element)}`).exec(
    text.slice(0, 400),
  );
  if (!gs || gs[1] === undefined) return undefined;
  const segment = gs[1];
  const isaText = text.slice(0, gs.index);
  const elements = isaText.split(element);
  const isa = { id: 'ISA', position: 1 };
  const problems: EdiProblem[] = [];
  const off = ISA_WIDTHS.flatMap((width, i) => {
    const value = elements[i + 1];
    return value !== undefined && value.length !== width
      ? [`ISA${String(i + 1).padStart(2, '0')} is ${value.length} characters, not ${width}`]
      : [];
  });
  let component = elements[16] ?? '';
  if (elements.length < 17 || component.length !== 1) {
    problems.push(
      problem(
        'bad-isa',
        `ISA16 (the component element separator) is ${elements.length < 17 ? 'missing' : `"${component}", not one character`}; ":" is assumed ${at(isa)}.`,
        { segment: isa, element: 'ISA16' },
      ),
    );
    component = [':', '>', '^', '\\'].find((c) => c !== element && c !== segment) ?? ':';
  }
  if (off.length > 0) {
    problems.push(
      problem(
        'isa-width',
        `ISA is not fixed width (${off.slice(0, 3).join('; ')}${off.length > 3 ? '; ...' : ''}); it is read by its separators ${at(isa)}.`,
        { severity: 'warning', segment: isa },
      ),
    );
  }
  return { component, segment, isa11: elements[11] ?? '', problems };
}
