import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../sdk/json';
import { outputPorts } from '../../../sdk/manifest';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeSwitch } from './execute';
import { switchRule } from './manifest';

const cases: JsonValue[] = [
  { port: 'express', label: 'Express', condition: { '==': [{ var: 'serviceLevel' }, 'EXPRESS'] } },
  { port: 'freight', condition: { '>': [{ var: 'weightKg' }, 70] } },
];

describe('rule.switch', () => {
  it('takes the first matching case', async () => {
    const msg = { serviceLevel: 'EXPRESS', weightKg: 120 };
    const result = await executeSwitch(message(msg), fakeContext({ cases }));
    expect(result).toEqual({ emissions: [{ port: 'express', payload: msg }] });
  });

  it('takes every matching case in "all" mode and default when none matches', async () => {
    const msg = { serviceLevel: 'EXPRESS', weightKg: 120 };
    const all = await executeSwitch(message(msg), fakeContext({ cases, mode: 'all' }));
    expect(all.emissions.map((e) => e.port)).toEqual(['express', 'freight']);
    const none = await executeSwitch(message({ weightKg: 1 }), fakeContext({ cases }));
    expect(none.emissions).toEqual([{ port: 'default', payload: { weightKg: 1 } }]);
  });

  it('has one output port per case, plus default and error', () => {
    expect(outputPorts(switchRule, { cases }).map((p) => [p.id, p.label])).toEqual([
      ['default', 'Default'],
      ['express', 'Express'],
      ['freight', 'freight'],
      ['error', 'Error'],
    ]);
  });

  it('rejects bad cases in validation', () => {
    expect(checkSchema(switchRule.configSchema, { cases: [] })[0]?.pointer).toEqual(['cases']);
    expect(
      checkSchema(switchRule.configSchema, { cases: [{ port: 'default', condition: true }] })[0]
        ?.pointer,
    ).toEqual(['cases', 0, 'port']);
    expect(
      checkSchema(switchRule.configSchema, { cases: [{ port: 'Bad Port', condition: true }] })[0]
        ?.pointer,
    ).toEqual(['cases', 0, 'port']);
  });

  it('fails with classified errors on config that slipped through or a broken condition', async () => {
    const dup = [
      { port: 'a', condition: true },
      { port: 'a', condition: false },
    ];
    await expect(executeSwitch(message({}), fakeContext({ cases: dup }))).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-config',
      message: /"a"/,
    });
    await expect(executeSwitch(message({}), fakeContext({}))).rejects.toMatchObject({
      code: 'invalid-config',
    });
    await expect(
      executeSwitch(message({}), fakeContext({ cases: [{ port: 'x', condition: { nope: 1 } }] })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'expression-failed' });
  });
});
