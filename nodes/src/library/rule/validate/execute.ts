import { isCanonicalType, validateCanonical } from '../../../canonical/validate';
import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { truthy } from '../../../sdk/expressions/evaluate';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../sdk/json';

/** One reason a message failed validation. */
export interface ValidationFailure extends JsonObject {
  source: 'schema' | 'check';
  message: string;
}

/** Canonical-schema failures of a value, as listed by rule.validate and mapping.map. */
export function schemaFailures(schema: string, value: JsonValue): ValidationFailure[] {
  if (!isCanonicalType(schema)) {
    throw new PermanentError('invalid-config', `"${schema}" is not a canonical schema.`);
  }
  return validateCanonical(schema, value).map((p) => ({
    source: 'schema',
    pointer: [...p.pointer],
    message: p.message,
  }));
}

export const executeValidate: NodeExecutor = async (input, ctx) => {
  const { schema, checks } = ctx.config;
  if (schema === undefined && checks === undefined) {
    throw new PermanentError('invalid-config', 'Give a canonical "schema", "checks", or both.');
  }
  const failures: ValidationFailure[] = [];
  if (schema !== undefined) failures.push(...schemaFailures(String(schema), input.payload));
  if (checks !== undefined) {
    if (!Array.isArray(checks))
      throw new PermanentError('invalid-config', '"checks" must be a list.');
    checks.forEach((check, i) => {
      if (!isJsonObject(check) || typeof check.name !== 'string') {
        throw new PermanentError('invalid-config', `Check ${i + 1} has no name.`);
      }
      const ok = truthy(ctx.evaluate(check.condition ?? null, input.payload, { now: ctx.now() }));
      if (!ok) {
        const message =
          typeof check.message === 'string' ? check.message : `The check "${check.name}" failed.`;
        failures.push({ source: 'check', name: check.name, message });
      }
    });
  }
  if (failures.length === 0) return emit(input.payload, 'valid');
  return emit({ input: input.payload, failures }, 'invalid');
};
