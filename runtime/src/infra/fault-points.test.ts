import { describe, expect, it } from 'vitest';
import { faultPointsFrom } from './fault-points';

describe('faultPointsFrom', () => {
  it('is a no-op when unset', async () => {
    await expect(faultPointsFrom(undefined)('intake:after-record')).resolves.toBeUndefined();
  });

  it('kills on the n-th time the named point is reached, not at other points', async () => {
    let kills = 0;
    const faults = faultPointsFrom('intake:after-record@2', () => {
      kills += 1;
    });
    await faults('intake:before-record');
    await faults('intake:after-record');
    expect(kills).toBe(0);
    void faults('intake:after-record');
    expect(kills).toBe(1);
  });

  it('refuses a spec it does not understand, naming the points', () => {
    expect(() => faultPointsFrom('intake:somewhere@1')).toThrow(/intake:after-record/);
    expect(() => faultPointsFrom('intake:after-record')).toThrow(/<point>@<n>/);
  });
});
