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

/**
 * Splits an X12 interchange into segments. The delimiters come from the ISA segment itself:
 * element separator at offset 3, repetition separator in ISA11 (5010 and later), component
 * separator in ISA16 and the segment terminator right after it. A CR and/or LF after each
 * terminator is allowed (many partners send one segment per line). Never throws: whatever is
 * wrong comes back as problems.
 */
export function tokenize(input: string): Tokens {
  const text = input.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (!text.startsWith('ISA')) {
    return {
      segments: [],
      problems: [problem('not-x12', 'This is not an X12 interchange: it must start with ISA.')],
    };
  }
  if (text.length < ISA_LENGTH) {
    return {
      segments: [],
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
  const component = text.charAt(104);
  const segment = text.charAt(105);
  const isa11 = text.charAt(82);
  const isa = { id: 'ISA', position: 1 };
  for (const offset of ISA_SEPARATOR_OFFSETS) {
    if (text.charAt(offset) !== element) {
      return {
        segments: [],
        problems: [
          problem(
            'bad-isa',
            `ISA is not fixed width: expected the element separator "${element}" at character ${offset + 1}, found "${text.charAt(offset)}" ${at(isa)}.`,
            { segment: isa },
          ),
        ],
      };
    }
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
      segments: [],
      problems: [
        problem(
          'bad-delimiters',
          `The delimiters in ISA (element "${element}", component "${component}", segment ${JSON.stringify(segment)}) must be distinct and not letters, digits or spaces ${at(isa)}.`,
          { segment: isa },
        ),
      ],
    };
  }

  const segments: Segment[] = [];
  const problems: EdiProblem[] = [];
  const parts = text.split(segment);
  const last = parts.pop() ?? '';
  if (last.trim() !== '') {
    problems.push(
      problem(
        'trailing-text',
        `Text after the last segment terminator: ${JSON.stringify(last.trim().slice(0, 40))}.`,
      ),
    );
  }
  for (const raw of parts) {
    const body = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
    if (body === '') continue;
    const elements = body.split(element);
    const id = elements[0] ?? '';
    const position = segments.length + 1;
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) {
      problems.push(
        problem(
          'bad-segment',
          `Segment ${position} starts with ${JSON.stringify(id.slice(0, 10))}, which is not a segment id.`,
          { segment: { id: id.slice(0, 3), position } },
        ),
      );
    }
    segments.push({ id, elements, position });
  }
  return { delimiters, segments, problems };
}
