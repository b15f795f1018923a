import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInterchange } from './envelope';
import { parseX12 } from './parse';
import { sample } from './samples';
import { tokenize } from './tokenize';
import { EDI_PROBLEM_CODES, type EdiProblem } from './types';
import { generateAck } from './write';

const po = sample('850-purchase-order.x12');
const carrier = sample('214-status-and-210-invoice.x12');
const errors = (text: string) => parseX12(text).problems.filter((p) => p.severity === 'error');

describe('envelope validation', () => {
  it('rejects a wrong SE01 count, naming the segment and its position', () => {
    const broken = po.replace('SE*28*0001', 'SE*29*0001');
    expect(errors(broken)).toEqual([
      expect.objectContaining({
        code: 'count-mismatch',
        element: 'SE01',
        message: 'SE01 says 29 segments, found 28 (segment 30, SE).',
        segment: { id: 'SE', position: 30 },
        ackCode: '4',
      }),
    ]);
    expect(parseX12(broken).documents).toEqual([]);
  });

  it('rejects SE02 that differs from ST02', () => {
    expect(errors(po.replace('SE*28*0001', 'SE*28*0002'))).toEqual([
      expect.objectContaining({
        element: 'SE02',
        message: 'SE02 is 0002 but ST02 is 0001 (segment 30, SE).',
      }),
    ]);
  });

  it('rejects GE02 that differs from GS06 and a wrong GE01', () => {
    expect(errors(po.replace('GE*1*4711', 'GE*1*4712'))[0]).toMatchObject({
      element: 'GE02',
      message: 'GE02 is 4712 but GS06 is 4711 (segment 31, GE).',
    });
    expect(errors(po.replace('GE*1*4711', 'GE*2*4711'))[0]).toMatchObject({
      element: 'GE01',
      message: 'GE01 says 2 transaction sets, found 1 (segment 31, GE).',
    });
  });

  it('rejects IEA02 that differs from ISA13 and a wrong IEA01', () => {
    expect(errors(po.replace('IEA*1*000004711', 'IEA*1*000004710'))[0]).toMatchObject({
      element: 'IEA02',
      message: 'IEA02 is 000004710 but ISA13 is 000004711 (segment 32, IEA).',
    });
    expect(errors(carrier.replace('IEA^2^', 'IEA^1^'))[0]).toMatchObject({
      element: 'IEA01',
      message: expect.stringMatching(
        /^IEA01 says 1 functional groups, found 2 \(segment \d+, IEA\)\.$/,
      ),
    });
  });

  it('reports a missing SE, GE and IEA', () => {
    const noSe = po.replace('SE*28*0001~\r\n', '');
    expect(errors(noSe)[0]).toMatchObject({ code: 'missing-trailer', element: 'SE' });
    expect(errors(noSe)[0]?.message).toMatch(/has no SE before GE \(segment 30, GE\)/);
    const noIea = po.replace('IEA*1*000004711~\r\n', '');
    expect(errors(noIea).map((p) => p.element)).toEqual(['IEA']);
  });

  it('reports segments outside a transaction set and after IEA', () => {
    const stray = po.replace('GE*1*4711~', 'REF*ZZ*STRAY~\r\nGE*1*4711~');
    expect(errors(stray)[0]?.message).toBe(
      'REF is outside a transaction set (no ST before it) (segment 31, REF).',
    );
    expect(errors(`${po}GS*PO*A*B*20261127*0930*1*X*004010~`)[0]?.message).toMatch(
      /comes after IEA/,
    );
  });

  it('keeps the good sets of an interchange when one set is broken', () => {
    const broken = carrier.replace('SE^12^0002', 'SE^13^0002');
    const result = parseX12(broken);
    expect(result.documents.map((d) => `${d.set}/${d.controlNumber}`)).toEqual([
      '214/0001',
      '210/0001',
    ]);
    expect(result.ok).toBe(false);
  });
});

describe('the 997 for a received interchange', () => {
  const options = { controlNumber: 7, date: new Date('2026-11-27T10:00:00Z') };

  it('accepts a good interchange, with sender and receiver swapped', () => {
    const ack = generateAck(parseX12(po), options) ?? '';
    expect(ack).toMatch(
      /^ISA\*00\* {10}\*00\* {10}\*ZZ\*CROSSDOCKDAL {3}\*01\*078742090 {6}\*261127\*1000\*U\*00401\*000000007\*0\*P\*>~/,
    );
    expect(ack).toContain('GS*FA*CROSSDOCKDAL*078742090*20261127*1000*7*X*004010~');
    expect(ack).toContain('AK1*PO*4711~AK2*850*0001~AK5*A~AK9*A*1*1*1~');
    const back = parseX12(ack);
    expect(back.ok).toBe(true);
    expect(back.documents[0]?.value).toMatchObject({ functionalId: 'PO', status: 'A' });
  });

  it('rejects a set whose SE01 is wrong (AK5 R 4) and accepts its neighbours (AK9 P)', () => {
    const broken = carrier.replace('SE^12^0002', 'SE^13^0002');
    const ack = generateAck(parseX12(broken), options) ?? '';
    expect(ack).toContain('AK1*QM*21401~AK2*214*0001~AK5*A~AK2*214*0002~AK5*R*4~AK9*P*2*2*1~');
    expect(ack).toContain('AK1*IM*21001~AK2*210*0001~AK5*A~AK9*A*1*1*1~');
  });

  it('rejects the whole group when GE02 does not match GS06 (AK9 R 4)', () => {
    const ack = generateAck(parseX12(po.replace('GE*1*4711', 'GE*1*4712')), options) ?? '';
    expect(ack).toContain('AK2*850*0001~AK5*A~AK9*R*1*1*0*4~');
  });

  it('rejects an unsupported set (AK5 R 1) and a bad segment id (AK3, AK5 R 5)', () => {
    const unsupported = po.replace('ST*850*0001', 'ST*855*0001');
    expect(generateAck(parseX12(unsupported), options)).toContain(
      'AK2*855*0001~AK5*R*1~AK9*R*1*1*0~',
    );
    const badSegment = po.replace('CUR*BY*USD', 'cur*BY*USD');
    const result = parseX12(badSegment);
    expect(result.problems[0]).toMatchObject({ code: 'bad-segment', segment: { position: 5 } });
    expect(generateAck(result, options)).toContain('AK2*850*0001~AK3*cur*3**1~AK5*R*5~');
  });

  it('has nothing to acknowledge when the text is not an interchange', () => {
    expect(generateAck(parseX12('hello'), options)).toBeUndefined();
  });
});

describe('tokenizer', () => {
  it('takes the delimiters from ISA', () => {
    expect(tokenize(sample('856-ship-notice.x12')).delimiters).toEqual({
      element: '|',
      component: ':',
      repetition: '^',
      segment: '~',
    });
    expect(tokenize(po).delimiters).toEqual({ element: '*', component: '>', segment: '~' });
  });

  it('refuses what is not X12, a short or misaligned ISA and clashing delimiters', () => {
    expect(tokenize('GS*PO~').problems[0]?.code).toBe('not-x12');
    expect(tokenize('ISA*00*').problems[0]?.code).toBe('bad-isa');
    const shifted = po.replace('*00*          *', '*00*         *');
    expect(tokenize(shifted).problems[0]).toMatchObject({
      code: 'isa-width',
      severity: 'warning',
      message: expect.stringMatching(/ISA02 is 9 characters, not 10/),
    });
    const noGs = shifted.replace(/~\s*GS\*/, '~XX*');
    expect(tokenize(noGs).problems[0]?.message).toMatch(
      /ISA is not fixed width: expected the element separator "\*" at character 18/,
    );
    const clash = `${po.slice(0, 104)}*${po.slice(105)}`;
    expect(tokenize(clash).problems[0]?.code).toBe('bad-delimiters');
  });

  it('reports text after the last terminator', () => {
    expect(tokenize(`${po}GARBAGE`).problems[0]).toMatchObject({ code: 'trailing-text' });
  });

  const CODES: ReadonlySet<EdiProblem['code']> = new Set(EDI_PROBLEM_CODES);
  const classified = (p: EdiProblem) => CODES.has(p.code) && p.message.length > 0;

  it('never throws on arbitrary text, and every problem is classified', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const result = parseX12(text);
        expect(result.problems.every(classified)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid ISA followed by arbitrary segments', () => {
    const isa = po.slice(0, 106);
    const segment = fc
      .array(
        fc.oneof(
          fc.constantFrom('ST', 'SE', 'GS', 'GE', 'IEA', 'BEG', 'PO1', 'N1', 'HL', 'AT7', 'LX'),
          fc.string({ maxLength: 8 }),
        ),
        {
          minLength: 1,
          maxLength: 6,
        },
      )
      .map((parts) => parts.join('*'));
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 25 }),
        fc.constantFrom('', '\r\n', '\n'),
        (segments, eol) => {
          const text = isa + segments.map((s) => `${s}~${eol}`).join('');
          const result = parseX12(text);
          expect(result.problems.every(classified)).toBe(true);
          expect(readInterchange(text).problems.length).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws when the samples are cut or have characters changed', () => {
    fc.assert(
      fc.property(
        fc.nat(po.length),
        fc.nat(po.length),
        fc.string({ maxLength: 3 }),
        (cut, at, insert) => {
          const mangled = po.slice(0, at) + insert + po.slice(at + 1, Math.max(at + 1, cut));
          expect(parseX12(mangled).problems.every(classified)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
