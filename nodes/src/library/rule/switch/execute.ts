import { PermanentError } from '../../../sdk/errors';
import type { Emission, NodeExecutor } from '../../../sdk/executor-types';
import { truthy } from '../../../sdk/expressions/evaluate';
import { isJsonObject, type JsonValue } from '../../../sdk/json';

interface SwitchCase {
  port: string;
  condition: JsonValue;
}

function casesOf(value: JsonValue | undefined): SwitchCase[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new PermanentError('invalid-config', 'The switch has no "cases".');
  }
  const seen = new Set<string>();
  return value.map((c, i) => {
    if (!isJsonObject(c) || typeof c.port !== 'string' || c.port === '' || c.port === 'default') {
      throw new PermanentError(
        'invalid-config',
        `Case ${i + 1} of the switch has no valid "port".`,
      );
    }
    if (seen.has(c.port)) {
      throw new PermanentError(
        'invalid-config',
        `Two cases of the switch use the port "${c.port}".`,
      );
    }
    seen.add(c.port);
    return { port: c.port, condition: c.condition ?? null };
  });
}

export const executeSwitch: NodeExecutor = async (input, ctx) => {
  const cases = casesOf(ctx.config.cases);
  const all = ctx.config.mode === 'all';
  const emissions: Emission[] = [];
  for (const c of cases) {
    if (!truthy(ctx.evaluate(c.condition, input.payload, { now: ctx.now() }))) continue;
    emissions.push({ port: c.port, payload: input.payload });
    if (!all) break;
  }
  if (emissions.length === 0) emissions.push({ port: 'default', payload: input.payload });
  return { emissions };
};
