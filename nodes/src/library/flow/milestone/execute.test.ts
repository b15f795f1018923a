import { describe, expect, it } from 'vitest';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeMilestone } from './execute';

const config = {
  process: 'order-to-cash',
  milestone: 'invoiced',
  key: { var: 'order' },
  occurredAt: { var: 'at' },
  attributes: { amount: { var: 'total' }, missing: { var: 'nope' } },
};

describe('flow.milestone', () => {
  it('records the milestone with key, time and attributes from the message, and passes it on', async () => {
    const ctx = fakeContext(config);
    const payload = { order: 'O-1', at: '2026-11-27T16:30:00+01:00', total: 99.5 };
    const result = await executeMilestone(message(payload), ctx);
    expect(result.emissions).toEqual([{ port: 'out', payload }]);
    expect(ctx.extras.milestones).toEqual([
      {
        process: 'order-to-cash',
        milestone: 'invoiced',
        key: 'O-1',
        occurredAt: '2026-11-27T15:30:00.000Z',
        attributes: { amount: 99.5, missing: null },
      },
    ]);
  });

  it("leaves key and time to the runtime when they are not configured (the run's business key, now)", async () => {
    const ctx = fakeContext({ process: 'order-to-cash', milestone: 'released' });
    await executeMilestone(message({ any: 1 }), ctx);
    expect(ctx.extras.milestones).toEqual([
      { process: 'order-to-cash', milestone: 'released', attributes: {} },
    ]);
  });

  it('refuses a key or time that is not usable, and a runtime without a control tower', async () => {
    await expect(
      executeMilestone(message({ order: { nested: true } }), fakeContext(config)),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-input' });
    await expect(
      executeMilestone(message({ order: 'O-1', at: 'yesterday' }), fakeContext(config)),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/ISO 8601/) });
    await expect(
      executeMilestone(
        message({ order: 'O-1' }),
        fakeContext(config, { recordMilestone: undefined }),
      ),
    ).rejects.toMatchObject({ code: 'invalid-config' });
    await expect(
      executeMilestone(message({}), fakeContext({ milestone: 'x' })),
    ).rejects.toMatchObject({ code: 'invalid-config' });
  });
});
