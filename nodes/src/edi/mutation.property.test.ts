/**
 * Whatever a partner's system does to a valid interchange (drops an optional element, sends a
 * code nobody knows, pads with whitespace, switches terminators), the parser never throws and
 * never loses the sets it did not touch.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseX12 } from './parse';
import { generateAck } from './write';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}.x12`, import.meta.url)), 'utf8');

/** One 850 from the corpus as segments (without ~), repeated as three sets of one group. */
const single = fixture('850-4010-tilde-baseline')
  .split('~')
  .map((s) => s.trim())
  .filter((s) => s !== '');
const isa = single[0] as string;
const gs = single[1] as string;
const body = single.slice(3, -3);
const setBody = (n: number) =>
  body.map((s) => (s.startsWith('BEG*') ? s.replace('PO-7781001', `PO-778100${n}`) : s));
const SETS = [1, 2, 3];

function build(bodies: string[][], terminator: string, between: string, element = '*'): string {
  const segments = [isa, gs];
  bodies.forEach((b, i) => {
    const st02 = `000${i + 1}`;
    segments.push(`ST*850*${st02}`, ...b, `SE*${b.length + 2}*${st02}`);
  });
  segments.push(`GE*${bodies.length}*501`, 'IEA*1*000001001');
  return segments
    .map((s, i) => (i === 0 ? s : s.replaceAll('*', element)))
    .join(terminator + between)
    .concat(terminator);
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), segment: fc.nat(), element: fc.nat() }),
  fc.record({
    kind: fc.constant('code' as const),
    segment: fc.nat(),
    element: fc.nat(),
    code: fc.constantFrom('ZZ', 'Q7', '__proto__', 'constructor', 'toString', '999'),
  }),
  fc.record({
    kind: fc.constant('space' as const),
    segment: fc.nat(),
    element: fc.nat(),
    pad: fc.constantFrom(' ', '  ', '\t'),
  }),
);

function mutate(b: string[], m: Mutation): string[] {
  const out = [...b];
  const index = m.segment % out.length;
  const elements = (out[index] as string).split('*');
  const n = 1 + (m.element % Math.max(1, elements.length - 1));
  if (n >= elements.length) return out;
  if (m.kind === 'drop') elements[n] = '';
  else if (m.kind === 'code') elements[n] = m.code;
  else elements[n] = `${m.pad}${elements[n]}${m.pad}`;
  out[index] = elements.join('*');
  return out;
}
type Mutation =
  | { kind: 'drop'; segment: number; element: number }
  | { kind: 'code'; segment: number; element: number; code: string }
  | { kind: 'space'; segment: number; element: number; pad: string };

const orderNumbers = (text: string) =>
  parseX12(text).documents.map((d) => (d.set === '850' ? d.value.orderNumber : ''));

describe('mutated documents', () => {
  const clean = build(
    SETS.map((n) => setBody(n)),
    '~',
    '',
  );

  it('the unmutated interchange reads three orders', () => {
    expect(orderNumbers(clean)).toEqual(['PO-7781001', 'PO-7781002', 'PO-7781003']);
  });

  it('never throws and never loses the sets a mutation did not touch', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(['~', ''], ['~', '\r\n'], ['\n', ''], ['|', ''], ["'", '\n']),
        (target, mutations, [terminator, between]) => {
          const bodies = SETS.map((n, i) =>
            i === target
              ? mutations.reduce((b, m) => mutate(b, m as Mutation), setBody(n))
              : setBody(n),
          );
          const text = build(bodies, terminator as string, between as string);
          const result = parseX12(text);
          const read = result.documents.map((d) => (d.set === '850' ? d.value.orderNumber : ''));
          for (const [i, n] of SETS.entries()) {
            if (i !== target) expect(read).toContain(`PO-778100${n}`);
          }
          // The answer is always writable, and says A or R for every set received.
          const ack = generateAck(result, { controlNumber: 9, date: new Date(0), ta1: true });
          expect(ack).toMatch(/^ISA/);
          expect(result.acknowledgments[0]?.sets).toHaveLength(3);
        },
      ),
      { numRuns: 250 },
    );
  });
});
