import { describe, expect, it } from 'vitest';
import { until } from './wait';

describe('until', () => {
  it('returns the first value the probe gives that is not undefined or false', async () => {
    let calls = 0;
    const value = await until(() => (++calls >= 3 ? `after ${calls}` : false), 'three calls', {
      everyMs: 1,
    });
    expect(value).toBe('after 3');
  });

  it('fails after its deadline, naming what it waited for', async () => {
    await expect(
      until(() => undefined, 'a run that never ends', { timeoutMs: 20, everyMs: 5 }),
    ).rejects.toThrow('Timed out after 20 ms waiting for a run that never ends.');
  });
});
