import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { FORBIDDEN_KEYS } from '../../../sdk/expressions/operations';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../sdk/json';

/** Writes `value` at a dotted path, creating objects on the way; never touches a prototype. */
export function setPath(target: JsonObject, path: string, value: JsonValue): void {
  const segments = path.split('.');
  if (segments.some((s) => s === '' || FORBIDDEN_KEYS.has(s))) {
    throw new PermanentError('invalid-config', `The target path "${path}" is not allowed.`);
  }
  let current: JsonObject = target;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (isJsonObject(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[segment] = created;
      current = created;
    }
  }
  current[segments[segments.length - 1] as string] = value;
}

interface FieldMapping {
  target: string;
  expression: JsonValue;
  default?: JsonValue;
}

function fieldsOf(config: JsonObject): FieldMapping[] {
  const fields = config.fields;
  if (!Array.isArray(fields))
    throw new PermanentError('invalid-config', 'The mapping has no "fields" list.');
  return fields.map((f, i) => {
    if (!isJsonObject(f) || typeof f.target !== 'string') {
      throw new PermanentError('invalid-config', `Mapping field ${i + 1} has no target path.`);
    }
    return {
      target: f.target,
      expression: f.expression ?? null,
      ...(f.default !== undefined ? { default: f.default } : {}),
    };
  });
}

export const executeMap: NodeExecutor = async (input, ctx) => {
  const tables = isJsonObject(ctx.config.tables)
    ? (ctx.config.tables as Record<string, Record<string, JsonValue>>)
    : {};
  const out: JsonObject =
    ctx.config.keepSource === true && isJsonObject(input.payload)
      ? structuredClone(input.payload)
      : {};
  for (const field of fieldsOf(ctx.config)) {
    let value = ctx.evaluate(field.expression, input.payload, { tables, now: ctx.now() });
    if (value === null && field.default !== undefined) value = field.default;
    setPath(out, field.target, value);
  }
  return emit(out);
};
