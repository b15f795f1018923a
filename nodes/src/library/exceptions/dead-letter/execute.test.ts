import { describe, expect, it } from 'vitest';
import { PermanentError, serializeError } from '../../../sdk/errors';
import type { JsonObject } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeDeadLetter } from './execute';
import { deadLetterException } from './manifest';

async function parked(payload: JsonObject | string, config: JsonObject) {
  return executeDeadLetter(message(payload), fakeContext(config)).then(
    () => expect.unreachable('a dead letter never emits'),
    (error: unknown) => serializeError(error),
  );
}

describe('exception.dead-letter', () => {
  it('fails permanently with the reason and the caught error, so the run is parked', async () => {
    const error = {
      ...new PermanentError('upstream-rejected', 'credit block').toJSON(),
    } as JsonObject;
    const payload: JsonObject = { error, input: { orderNumber: 'SO-1' }, nodeId: 'erp' };
    const reason = {
      cat: ['ERP refused ', { var: 'input.orderNumber' }, ': ', { var: 'error.message' }],
    };
    expect(await parked(payload, { reason })).toEqual({
      name: 'PermanentError',
      errorClass: 'permanent',
      code: 'dead-lettered',
      message: 'ERP refused SO-1: credit block',
      retryable: false,
      details: { error },
    });
  });

  it('takes a fixed reason for any message and bounds its length', async () => {
    expect(await parked('x', { reason: 'No carrier' })).toMatchObject({
      code: 'dead-lettered',
      message: 'No carrier',
    });
    const long = await parked({}, { reason: 'x'.repeat(5000) });
    expect(long.message.length).toBe(1001);
    expect(long.details).toBeUndefined();
  });

  it('needs a reason: in validation and when it gives no text', async () => {
    expect(checkSchema(deadLetterException.configSchema, {})[0]?.pointer).toEqual(['reason']);
    expect(await parked({}, { reason: { var: 'missing' } })).toMatchObject({
      name: 'PermanentError',
      code: 'invalid-config',
    });
  });
});
