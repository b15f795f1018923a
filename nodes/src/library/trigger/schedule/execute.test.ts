import { describe, expect, it } from 'vitest';
import { nextFireTimes } from '../../../sdk/cron';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeSchedule } from './execute';
import { scheduleTrigger } from './manifest';

describe('trigger.schedule', () => {
  it('emits the fixed payload with firedAt from the run clock', async () => {
    const ctx = fakeContext({ cron: '*/15 * * * *', payload: { warehouse: 'DEHAM1' } });
    expect(await executeSchedule(message(null, '$trigger'), ctx)).toEqual({
      emissions: [
        { port: 'out', payload: { warehouse: 'DEHAM1', firedAt: '2026-11-27T10:00:00.000Z' } },
      ],
    });
  });

  it('keeps the scheduled time the runtime passes, and ignores any other trigger payload', async () => {
    const ctx = fakeContext({ cron: '0 6 * * *' });
    const fired = await executeSchedule(
      message({ firedAt: '2026-11-27T06:00:00.000Z', injected: true }, '$trigger'),
      ctx,
    );
    expect(fired.emissions[0]?.payload).toEqual({ firedAt: '2026-11-27T06:00:00.000Z' });
    const odd = await executeSchedule(message('text', '$trigger'), ctx);
    expect(odd.emissions[0]?.payload).toEqual({ firedAt: '2026-11-27T10:00:00.000Z' });
  });

  it('validates the cron expression and the time zone with clear messages', () => {
    const ok = { cron: '0 6 * * 1-5', timeZone: 'America/Chicago' };
    expect(checkSchema(scheduleTrigger.configSchema, ok)).toEqual([]);
    for (const cron of ['61 * * * *', '* * *', '', 'every day', '0 6 * * 1-5 * extra']) {
      expect(checkSchema(scheduleTrigger.configSchema, { cron }), cron).toEqual([
        expect.objectContaining({
          pointer: ['cron'],
          message: expect.stringMatching(/cron expression/),
        }),
      ]);
    }
    expect(
      checkSchema(scheduleTrigger.configSchema, { cron: '0 6 * * *', timeZone: 'CET+1' }),
    ).toEqual([
      expect.objectContaining({
        pointer: ['timeZone'],
        message: 'Must be an IANA time zone, e.g. "Europe/Berlin".',
      }),
    ]);
  });

  it('reads the schedule in its time zone, across daylight saving', () => {
    expect(
      nextFireTimes('0 6 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 2),
    ).toEqual(['2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z']);
  });
});
