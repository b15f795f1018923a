import { describe, expect, it } from 'vitest';
import { canonicalExamples } from '../../../canonical/examples';
import type { JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeValidate } from './execute';
import { validateRule } from './manifest';

const order = canonicalExamples.SalesOrder as unknown as JsonValue;
const hasLines = {
  name: 'has-lines',
  condition: { '!!': [{ var: 'lines' }] },
  message: 'The order has no lines.',
};

describe('rule.validate', () => {
  it('passes a valid canonical object out of "valid", unchanged', async () => {
    const result = await executeValidate(
      message(order),
      fakeContext({ schema: 'SalesOrder', checks: [hasLines] }),
    );
    expect(result).toEqual({ emissions: [{ port: 'valid', payload: order }] });
  });

  it('lists every schema and check failure on "invalid"', async () => {
    const broken = { ...(order as Record<string, JsonValue>), lines: [], orderNumber: 7 };
    const result = await executeValidate(
      message(broken),
      fakeContext({
        schema: 'SalesOrder',
        checks: [hasLines, { name: 'no-hold', condition: { '!': [{ var: 'hold' }] } }],
      }),
    );
    expect(result.emissions[0]?.port).toBe('invalid');
    const payload = result.emissions[0]?.payload as { input: JsonValue; failures: unknown[] };
    expect(payload.input).toEqual(broken);
    expect(payload.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'schema', pointer: ['orderNumber'] }),
        { source: 'check', name: 'has-lines', message: 'The order has no lines.' },
      ]),
    );
  });

  it('works with checks only, on any input', async () => {
    const result = await executeValidate(
      message('not an object'),
      fakeContext({ checks: [hasLines] }),
    );
    expect(result.emissions[0]).toEqual({
      port: 'invalid',
      payload: {
        input: 'not an object',
        failures: [{ source: 'check', name: 'has-lines', message: 'The order has no lines.' }],
      },
    });
  });

  it('rejects a bad config in validation', () => {
    expect(checkSchema(validateRule.configSchema, {}).length).toBeGreaterThan(0);
    expect(checkSchema(validateRule.configSchema, { schema: 'Order' })[0]?.pointer).toEqual([
      'schema',
    ]);
    expect(
      checkSchema(validateRule.configSchema, { checks: [{ condition: true }] })[0]?.pointer,
    ).toEqual(['checks', 0, 'name']);
  });

  it('fails with classified errors on a config that slipped through', async () => {
    await expect(executeValidate(message({}), fakeContext({}))).rejects.toMatchObject({
      code: 'invalid-config',
    });
    await expect(
      executeValidate(message({}), fakeContext({ schema: '__proto__' })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-config' });
    await expect(
      executeValidate(message({}), fakeContext({ checks: [{ name: 'x', condition: { bad: 1 } }] })),
    ).rejects.toMatchObject({ code: 'expression-failed' });
  });
});
