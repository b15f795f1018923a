/**
 * The real-world fixture corpus: every `fixtures/*.x12` parses to the key fields, warnings and
 * errors its `*.expected.json` states (the JSON also says which variation the file shows), and
 * is answered by a 997 (and a TA1) without the generator failing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ParseOptions, parseX12 } from './parse';
import { generateAck } from './write';

interface Expected {
  variation: string;
  options?: ParseOptions;
  ok: boolean;
  /** Key fields per document by dotted path; `null` means the field must be absent. */
  documents: { set: string; keys: Record<string, unknown> }[];
  warnings: string[];
  errors: string[];
  /** AK5 status of each set, in order, over every 997 of the answer. */
  ack?: string[];
}

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.x12'))
  .map((f) => f.slice(0, -4))
  .sort();

/** `lines.0.sku` into the value; arrays and objects by own keys only. */
function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const codes = (list: { code: string }[]) => [...new Set(list.map((p) => p.code))].sort();

describe('X12 fixture corpus', () => {
  it('holds at least 60 documents, each with its expectation', () => {
    expect(names.length).toBeGreaterThanOrEqual(60);
    for (const name of names) {
      const expected = JSON.parse(readFileSync(`${dir}${name}.expected.json`, 'utf8')) as Expected;
      expect(expected.variation.length, name).toBeGreaterThan(20);
    }
  });

  it.each(names)('%s', (name) => {
    const text = readFileSync(`${dir}${name}.x12`, 'utf8');
    const expected = JSON.parse(readFileSync(`${dir}${name}.expected.json`, 'utf8')) as Expected;
    const result = parseX12(text, expected.options ?? {});
    const problems = result.problems.map((p) => `${p.severity} ${p.code}: ${p.message}`);
    expect(
      codes(result.problems.filter((p) => p.severity === 'error')),
      problems.join('\n'),
    ).toEqual([...expected.errors].sort());
    expect(
      codes(result.problems.filter((p) => p.severity === 'warning')),
      problems.join('\n'),
    ).toEqual([...expected.warnings].sort());
    expect(result.ok).toBe(expected.ok);
    expect(result.documents.map((d) => d.set)).toEqual(expected.documents.map((d) => d.set));
    expected.documents.forEach((doc, index) => {
      const value = result.documents[index]?.value;
      for (const [path, want] of Object.entries(doc.keys)) {
        // `null` in the expectation means "absent".
        expect(pick(value, path) ?? null, `${name} document ${index} ${path}`).toEqual(want);
      }
    });
    for (const p of result.problems) {
      // Every problem names where it is: a segment and position, or an element.
      expect(p.segment !== undefined || p.element !== undefined, p.message).toBe(true);
    }
    const date = new Date('2026-12-01T12:00:00Z');
    const ack = generateAck(result, { controlNumber: 7, date });
    if (expected.ack?.length === 0) expect(ack).toBeUndefined();
    else if (expected.ack) {
      expect(ack).toBeDefined();
      const statuses = result.acknowledgments.flatMap((a) => a.sets.map((s) => s.status));
      expect(statuses).toEqual(expected.ack);
      const reread = parseX12(ack ?? '');
      expect(reread.ok, reread.problems.map((p) => p.message).join('\n')).toBe(true);
    }
    const withTa1 = generateAck(result, { controlNumber: 7, date, ta1: true });
    if (result.interchange) expect(withTa1).toMatch(/^ISA.{100,}TA1/s);
  });
});
