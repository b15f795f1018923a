import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../../sdk/errors';
import type { JsonObject } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeDeadLetter } from './execute';
import { deadLetterException } from './manifest';

describe('exception.dead-letter', () => {
  it('parks the message with the reason and the caught error, emitting nothing', async () => {
    const error = {
      ...new PermanentError('upstream-rejected', 'credit block').toJSON(),
    } as JsonObject;
    const payload: JsonObject = { error, input: { orderNumber: 'SO-1' }, nodeId: 'erp' };
    const reason = {
      cat: ['ERP refused ', { var: 'input.orderNumber' }, ': ', { var: 'error.message' }],
    };
    const result = await executeDeadLetter(message(payload), fakeContext({ reason }));
    expect(result).toEqual({
      emissions: [],
      deadLetter: { reason: 'ERP refused SO-1: credit block', details: { error } },
    });
  });

  it('takes a fixed reason for any message and bounds its length', async () => {
    const plain = await executeDeadLetter(message('x'), fakeContext({ reason: 'No carrier' }));
    expect(plain.deadLetter).toEqual({ reason: 'No carrier' });
    const long = await executeDeadLetter(message({}), fakeContext({ reason: 'x'.repeat(5000) }));
    expect(long.deadLetter?.reason.length).toBe(1001);
  });

  it('needs a reason: in validation and when it gives no text', async () => {
    expect(checkSchema(deadLetterException.configSchema, {})[0]?.pointer).toEqual(['reason']);
    await expect(
      executeDeadLetter(message({}), fakeContext({ reason: { var: 'missing' } })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-config' });
  });
});
