import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { catalog } from '../../manifests';
import { executeBranch } from './execute';

describe('rule.branch', () => {
  const condition = { '>': [{ var: 'weightKg' }, 30] };

  it('sends a matching message out of "true", unchanged', async () => {
    const result = await executeBranch(message({ weightKg: 31 }), fakeContext({ condition }));
    expect(result).toEqual({ emissions: [{ port: 'true', payload: { weightKg: 31 } }] });
  });

  it('sends anything else out of "false"', async () => {
    const result = await executeBranch(message({ weightKg: 'heavy' }), fakeContext({ condition }));
    expect(result.emissions[0]?.port).toBe('false');
  });

  it('rejects a config without a condition', () => {
    const manifest = catalog.get('rule.branch');
    expect(manifest && checkSchema(manifest.configSchema, {})).toEqual([
      expect.objectContaining({
        pointer: ['condition'],
        message: 'The field "condition" is required.',
      }),
    ]);
  });

  it('fails with a permanent error on a condition that cannot run', async () => {
    await expect(
      executeBranch(message({}), fakeContext({ condition: { bogus: [1] } })),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'expression-failed',
    });
  });
});
