import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseX12 } from './parse';
import { generateAck } from './write';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}.x12`, import.meta.url)), 'utf8');
const options = { controlNumber: 42, date: new Date('2026-12-01T12:00:00Z') };
const segments = (x12: string) => x12.split('~').map((s) => s.trim());

describe('acknowledgments that tell the truth', () => {
  it('answers in the version of the group it acknowledges', () => {
    const ack = generateAck(parseX12(fixture('850-4030-pipe-terminator')), options) ?? '';
    expect(ack).toMatch(/^ISA\*.{77}\*\^\*00403\*000000042\*/);
    expect(segments(ack)).toContain('GS*FA*CROSSDOCK*PARTNERX*20261201*1200*42*X*004030');
    const v5 = generateAck(parseX12(fixture('850-5010-newline-terminator')), options) ?? '';
    expect(v5).toContain('*X*005010~');
  });

  it('never answers a 997 with a 997, but still sends a TA1 when asked', () => {
    const result = parseX12(fixture('997-4010-accepted'));
    expect(result.ok).toBe(true);
    expect(result.acknowledgments).toEqual([]);
    expect(generateAck(result, options)).toBeUndefined();
    const ta1 = generateAck(result, { ...options, ta1: true }) ?? '';
    expect(segments(ta1)).toContain('TA1*000001001*261201*0830*A*000');
    expect(ta1).not.toContain('AK1');
  });

  it('rejects a set whose mapping failed, unless the partner accepts and routes it', () => {
    const text = fixture('850-missing-order-number-beside-good-set');
    const ack = generateAck(parseX12(text), options) ?? '';
    expect(segments(ack)).toEqual(
      expect.arrayContaining(['AK2*850*0001', 'AK5*R*5', 'AK2*850*0002', 'AK5*A', 'AK9*P*2*2*1']),
    );
    expect(ack).toMatch(/AK3\*BEG\*2\*\*8/);
    const routed = generateAck(parseX12(text, { acceptMappingErrors: true }), options) ?? '';
    expect(segments(routed)).toContain('AK9*A*2*2*2');
  });

  it('rejects what a strict partner only warns about', () => {
    const text = fixture('850-unknown-unit-code');
    expect(segments(generateAck(parseX12(text), options) ?? '')).toContain('AK5*A');
    const strict = parseX12(text, { strict: true });
    expect(strict.problems[0]).toMatchObject({
      severity: 'error',
      code: 'unknown-code',
      element: 'PO103',
      segment: { id: 'PO1', position: 11 },
    });
    expect(segments(generateAck(strict, options) ?? '')).toContain('AK5*R*5');
  });

  it('names interchange problems in the TA1', () => {
    const missing = generateAck(parseX12(fixture('env-isa16-missing')), { ...options, ta1: true });
    expect(missing).toContain('TA1*000001001*261201*0830*R*027~');
    const dup = generateAck(parseX12(fixture('env-duplicate-isa13-in-file')), {
      ...options,
      ta1: true,
    });
    expect(dup).toContain('*R*025~');
    const loose = generateAck(parseX12(fixture('env-isa-not-fixed-width')), {
      ...options,
      ta1: true,
    });
    expect(loose).toContain('TA1*000001001*261201*0830*E*022~');
  });

  it('answers every interchange of a file with its own interchange', () => {
    const ack = generateAck(parseX12(fixture('env-two-interchanges-one-file')), options) ?? '';
    expect(ack.match(/ISA\*/g)).toHaveLength(2);
    expect(ack).toContain('*000000042*');
    expect(ack).toContain('*000000043*');
    expect(parseX12(ack).ok).toBe(true);
  });

  it('never fails on what it received: short ST02, empty ST01, delimiters inside the data', () => {
    const odd = generateAck(parseX12(fixture('env-empty-st01-short-st02')), options) ?? '';
    expect(segments(odd)).toEqual(expect.arrayContaining(['AK2*850*1', 'AK2**2', 'AK5*R*6']));
    const clash = generateAck(parseX12(fixture('env-data-contains-answer-delimiter')), options);
    expect(clash).toBeDefined();
    expect(clash).toContain('PARTNER~X');
    const reread = parseX12(clash ?? '');
    expect(reread.ok).toBe(true);
    expect(reread.documents[0]?.value).toMatchObject({ functionalId: 'PO', status: 'A' });
  });

  it('reads an AT7 time code named like a prototype property as an unknown code', () => {
    const result = parseX12(fixture('214-constructor-time-code'));
    expect(result.ok).toBe(true);
    expect(result.problems[0]).toMatchObject({ code: 'unknown-code', element: 'AT707' });
    expect(generateAck(result, options)).toContain('AK5*A');
  });
});
