import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeFilter } from './execute';
import { filterRule } from './manifest';

const condition = { in: [{ var: 'status' }, ['RELEASED', 'CONFIRMED']] };

describe('rule.filter', () => {
  it('passes a matching message unchanged', async () => {
    const result = await executeFilter(message({ status: 'RELEASED' }), fakeContext({ condition }));
    expect(result).toEqual({ emissions: [{ port: 'out', payload: { status: 'RELEASED' } }] });
  });

  it('drops anything else with zero emissions', async () => {
    const dropped: JsonValue[] = [{ status: 'DRAFT' }, {}, null, 'text'];
    for (const payload of dropped) {
      const result = await executeFilter(message(payload), fakeContext({ condition }));
      expect(result).toEqual({ emissions: [] });
    }
  });

  it('rejects a config without a condition', () => {
    expect(checkSchema(filterRule.configSchema, {})).toEqual([
      expect.objectContaining({
        pointer: ['condition'],
        message: 'The field "condition" is required.',
      }),
    ]);
  });

  it('fails with a permanent error on a condition that cannot run', async () => {
    await expect(
      executeFilter(message({}), fakeContext({ condition: { var: 'constructor' } })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'expression-failed' });
  });
});
