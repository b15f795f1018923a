import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../sdk/errors';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeCompensate } from './execute';
import { compensateException } from './manifest';

describe('exception.compensate', () => {
  it('starts the flow with a payload built from the message', async () => {
    const ctx = fakeContext({
      flowId: 'cancel-fulfillment',
      payload: {
        object: [
          ['fulfillmentOrderId', { var: 'input.id' }],
          ['reason', { var: 'error.code' }],
        ],
      },
    });
    const result = await executeCompensate(
      message({ input: { id: 'FO-7' }, error: { code: 'timeout' } }),
      ctx,
    );
    const payload = { fulfillmentOrderId: 'FO-7', reason: 'timeout' };
    expect(ctx.extras.started).toEqual([{ flowId: 'cancel-fulfillment', payload }]);
    expect(result.emissions).toEqual([
      { port: 'out', payload: { flowId: 'cancel-fulfillment', runId: 'run-started-1', payload } },
    ]);
  });

  it('sends the message itself by default', async () => {
    const ctx = fakeContext({ flowId: 'undo' });
    await executeCompensate(message({ a: 1 }), ctx);
    expect(ctx.extras.started).toEqual([{ flowId: 'undo', payload: { a: 1 } }]);
  });

  it('rejects a bad flow id in validation and at run time', async () => {
    expect(
      checkSchema(compensateException.configSchema, { flowId: 'Undo Order' })[0]?.pointer,
    ).toEqual(['flowId']);
    await expect(executeCompensate(message({}), fakeContext({}))).rejects.toMatchObject({
      code: 'invalid-config',
    });
  });

  it('passes on a classified failure to start the flow, and a broken payload expression', async () => {
    const ctx = fakeContext(
      { flowId: 'undo' },
      {
        startFlow: async () => {
          throw new TransientError('upstream-unavailable', 'queue unavailable');
        },
      },
    );
    await expect(executeCompensate(message({}), ctx)).rejects.toMatchObject({
      name: 'TransientError',
    });
    await expect(
      executeCompensate(message({}), fakeContext({ flowId: 'undo', payload: { nope: 1 } })),
    ).rejects.toMatchObject({ code: 'expression-failed' });
  });
});
