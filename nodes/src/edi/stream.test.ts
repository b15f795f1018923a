/**
 * `streamX12` reads a file piece by piece exactly as `parseX12` reads it whole: the same
 * documents, problems and 997s for every fixture, wherever the chunks are cut (inside a
 * segment, inside the ISA, inside a multi-byte character).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EdiDocument,
  type ParseOptions,
  parseX12,
  streamX12,
  type X12StreamEvent,
} from './parse';

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.x12'))
  .map((f) => {
    const expected = JSON.parse(readFileSync(`${dir}${f.slice(0, -4)}.expected.json`, 'utf8')) as {
      options?: ParseOptions;
    };
    return { name: f, text: readFileSync(`${dir}${f}`, 'utf8'), options: expected.options ?? {} };
  });

function cut<T extends string | Uint8Array>(whole: T, sizes: number[]): T[] {
  const pieces: T[] = [];
  let at = 0;
  for (let i = 0; at < whole.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    pieces.push(whole.slice(at, at + size) as T);
    at += size;
  }
  return pieces;
}

async function collect(source: Iterable<string | Uint8Array>, options: ParseOptions) {
  const events: X12StreamEvent[] = [];
  for await (const event of streamX12(source, options)) events.push(event);
  const documents: EdiDocument[] = [];
  const problems = [];
  const acknowledgments = [];
  let ok: boolean | undefined;
  for (const e of events) {
    if (e.kind === 'document') documents.push(e.document);
    else if (e.kind === 'interchange') {
      problems.push(...e.problems);
      acknowledgments.push(...e.acknowledgments);
    } else {
      problems.push(...e.problems);
      ok = e.ok;
    }
  }
  problems.sort((a, b) => (a.segment?.position ?? 0) - (b.segment?.position ?? 0));
  return { documents, problems, acknowledgments, ok, last: events.at(-1)?.kind };
}

describe('streamX12', () => {
  it.each(fixtures)('reads $name in 7-character pieces as parseX12 reads it whole', async (f) => {
    const whole = parseX12(f.text, f.options);
    const streamed = await collect(cut(f.text, [7]), f.options);
    expect(streamed.last).toBe('end');
    expect(streamed.ok).toBe(whole.ok);
    expect(streamed.documents).toEqual(whole.documents);
    expect(streamed.problems).toEqual(whole.problems);
    expect(streamed.acknowledgments).toEqual(whole.acknowledgments);
  });

  it('gives the same result wherever the bytes are cut, multi-byte characters included', async () => {
    const samples = fixtures.filter((f) => /850|856|214/.test(f.name)).slice(0, 12);
    const accented = samples.map((f) => ({
      ...f,
      text: f.text.replace(/Harbor Outfitters/g, 'Hårbor Øutfitters — Café'),
    }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...accented),
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 6 }),
        async (f, sizes) => {
          const whole = parseX12(f.text, f.options);
          const streamed = await collect(cut(new TextEncoder().encode(f.text), sizes), f.options);
          expect(streamed.documents).toEqual(whole.documents);
          expect(streamed.problems).toEqual(whole.problems);
          expect(streamed.acknowledgments).toEqual(whole.acknowledgments);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('yields each document before the interchange ends, and an end event for text that is not X12', async () => {
    const f = fixtures.find((x) => x.name.startsWith('850-4010-tilde-baseline'));
    if (!f) throw new Error('baseline fixture missing');
    const kinds: string[] = [];
    for await (const e of streamX12(cut(f.text, [64]))) kinds.push(e.kind);
    expect(kinds).toEqual(['document', 'interchange', 'end']);

    const events: X12StreamEvent[] = [];
    for await (const e of streamX12(['GS*PO*', 'X~'])) events.push(e);
    expect(events).toEqual([
      { kind: 'end', ok: false, problems: [expect.objectContaining({ code: 'not-x12' })] },
    ]);
  });
});
