import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeDelay } from './execute';
import { delayFlow, MAX_DELAY_MS } from './manifest';

describe('flow.delay', () => {
  it('passes the message on after delayMs', async () => {
    expect(await executeDelay(message({ a: 1 }), fakeContext({ delayMs: 5000 }))).toEqual({
      emissions: [{ port: 'out', payload: { a: 1 } }],
      delayMs: 5000,
    });
  });

  it('waits until a time from the message, on the run clock', async () => {
    const until = { date_add: [{ var: 'pickupAt' }, -2, 'hours'] };
    const result = await executeDelay(
      message({ pickupAt: '2026-11-27T14:00:00Z' }),
      fakeContext({ until }),
    );
    expect(result.delayMs).toBe(2 * 3600_000);
    const past = await executeDelay(
      message({ pickupAt: '2026-11-01T00:00:00Z' }),
      fakeContext({ until }),
    );
    expect(past.delayMs).toBe(0);
    const far = await executeDelay(
      message({ pickupAt: '2027-11-01T00:00:00Z' }),
      fakeContext({ until }),
    );
    expect(far.delayMs).toBe(MAX_DELAY_MS);
  });

  it('fails with invalid-input when "until" is not a time', async () => {
    await expect(
      executeDelay(message({}), fakeContext({ until: { var: 'missing' } })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-input' });
  });

  it('rejects a bad config in validation and at run time', async () => {
    expect(checkSchema(delayFlow.configSchema, { delayMs: -1 })[0]?.pointer).toEqual(['delayMs']);
    expect(checkSchema(delayFlow.configSchema, {}).length).toBeGreaterThan(0);
    await expect(executeDelay(message({}), fakeContext({}))).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });
});
