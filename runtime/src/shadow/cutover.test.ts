import type { Environment } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { cutoverCriterion, evaluateCutover } from './cutover';

const env = (cutover: unknown): Environment => ({
  name: 'prod',
  connections: {},
  settings: { cutover },
});

describe('cutoverCriterion', () => {
  it('is undefined when unset and fills defaults', () => {
    expect(cutoverCriterion({ name: 'dev', connections: {} })).toBeUndefined();
    expect(cutoverCriterion(env({ minRuns: 500 }))).toEqual({
      minRuns: 500,
      minIdenticalPercent: 100,
      fields: [],
      requireForPromotion: false,
    });
  });

  it.each([
    ['not an object', 5, /must be an object/],
    ['an unknown field', { minRun: 5 }, /unknown field\(s\) minRun/],
    ['a fractional run count', { minRuns: 2.5 }, /minRuns/],
    ['a percentage over 100', { minIdenticalPercent: 101 }, /minIdenticalPercent/],
    ['a field that is not a path', { fields: [''] }, /fields/],
    ['a requirement that is not a boolean', { requireForPromotion: 'yes' }, /requireForPromotion/],
  ])('refuses %s', (_what, cutover, message) => {
    expect(() => cutoverCriterion(env(cutover))).toThrow(message);
  });
});

describe('evaluateCutover', () => {
  const criterion = {
    minRuns: 500,
    minIdenticalPercent: 99.5,
    fields: ['body.lines[].uom'],
    requireForPromotion: true,
  };

  it('is met at the bounds: enough runs, enough identical, no listed field differing', () => {
    const check = evaluateCutover(
      criterion,
      { compared: 1000, identical: 995 },
      new Map([['body.warehouse', 5]]),
    );
    expect(check.met).toBe(true);
    expect(check.checks.map((c) => c.detail)).toEqual([
      '1000 of 500 runs compared',
      '99.5% identical (needs 99.5%)',
      'body.lines[].uom never differed',
    ]);
  });

  it('names each part that is not met', () => {
    const check = evaluateCutover(
      criterion,
      { compared: 499, identical: 400 },
      new Map([['body.lines[].uom', 2]]),
    );
    expect(check.met).toBe(false);
    expect(check.checks.filter((c) => !c.met).map((c) => c.name)).toEqual([
      'runs',
      'identical',
      'field body.lines[].uom',
    ]);
    expect(
      evaluateCutover({ ...criterion, minRuns: 0 }, { compared: 0, identical: 0 }, new Map()).met,
    ).toBe(false);
  });
});
