import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';

const now = new Date('2026-11-27T10:00:00Z');
const run = (rule: unknown, data: unknown = null) => evaluate(rule, data, { now });

describe('date operations', () => {
  it('parses X12-style dates in a time zone and ISO strings', () => {
    expect(run({ date_parse: ['20260701', 'yyyyMMdd', 'America/New_York'] })).toBe(
      '2026-07-01T04:00:00.000Z',
    );
    expect(run({ date_parse: ['2026-11-27T09:00:00+01:00'] })).toBe('2026-11-27T08:00:00.000Z');
    expect(run({ date_parse: ['2026-11-27 09:00', 'yyyy-MM-dd HH:mm'] })).toBe(
      '2026-11-27T09:00:00.000Z',
    );
  });

  it('gives null for text that is not a date', () => {
    expect(run({ date_parse: ['31/02/2026', 'dd/MM/yyyy'] })).toBeNull();
    expect(run({ date_parse: [{ var: 'missing' }] }, {})).toBeNull();
    expect(run({ date_format: ['not a date', 'yyyy'] })).toBeNull();
    expect(run({ date_add: [null, 1, 'days'] })).toBeNull();
  });

  it('formats in a zone, from ISO or epoch milliseconds', () => {
    expect(run({ date_format: ['2026-11-27T23:30:00Z', 'yyyyMMdd', 'Asia/Tokyo'] })).toBe(
      '20261128',
    );
    expect(run({ date_format: [0, "yyyy-MM-dd'T'HH:mm"] })).toBe('1970-01-01T00:00');
    expect(run({ date_format: ['2026-11-27T10:00:00Z', null, 'Europe/Paris'] })).toBe(
      '2026-11-27T11:00:00.000+01:00',
    );
  });

  it('adds calendar units across a DST change in the zone', () => {
    // Europe/Berlin leaves winter time on 2026-03-29: 09:00 local stays 09:00 local.
    expect(run({ date_add: ['2026-03-28T08:00:00Z', 1, 'days', 'Europe/Berlin'] })).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(run({ date_add: ['2026-03-28T08:00:00Z', 24, 'hours', 'Europe/Berlin'] })).toBe(
      '2026-03-29T08:00:00.000Z',
    );
    expect(run({ date_add: ['2026-01-31T00:00:00Z', 1, 'months'] })).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });

  it('reads now from the run clock only', () => {
    expect(run({ date_add: [{ now: [] }, 2, 'days'] })).toBe('2026-11-29T10:00:00.000Z');
    expect(() => evaluate({ now: [] }, null)).toThrow(/run clock/);
  });

  it('refuses an unknown zone or unit with a classified error', () => {
    expect(() => run({ date_format: ['2026-11-27T10:00:00Z', 'yyyy', 'Mars/Olympus'] })).toThrow(
      expect.objectContaining({
        code: 'expression-failed',
        message: expect.stringMatching(/Unknown time zone "Mars\/Olympus"/),
      }),
    );
    expect(() => run({ date_add: ['2026-11-27T10:00:00Z', 1, 'fortnights'] })).toThrow(
      /Unknown date unit "fortnights"/,
    );
  });
});

describe('string helpers', () => {
  it('bounds what replace may build', () => {
    const text = 'a'.repeat(10_000);
    expect(() => run({ replace: [text, 'a', 'x'.repeat(1000)] })).toThrow(/longer than 1000000/);
  });

  it.each([
    [{ replace: ['a.b.c', '.', '/'] }, 'a/b/c'],
    [{ replace: ['abc', '', 'x'] }, 'abc'],
    [{ starts_with: ['PAL-1', 'PAL'] }, true],
    [{ ends_with: ['x.csv', '.pdf'] }, false],
    [{ pad_end: ['A', 3, '-'] }, 'A--'],
    [{ length: 'abcd' }, 4],
    [{ length: 7 }, 0],
  ])('%j gives %j', (rule, expected) => {
    expect(run(rule)).toEqual(expected);
  });
});
