import { PermanentError } from '../../../sdk/errors';
import {
  type EvaluateOptions,
  emit,
  type NodeContext,
  type NodeExecutor,
} from '../../../sdk/executor-types';
import { FORBIDDEN_KEYS } from '../../../sdk/expressions/operations';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../sdk/json';
import { schemaFailures } from '../../rule/validate/execute';
import { MAX_EACH_DEPTH } from './manifest';

/** The segments of a target path, or undefined when the path is not allowed. */
function targetSegments(path: string): readonly string[] | undefined {
  const segments = path.split('.');
  return segments.some((s) => s === '' || FORBIDDEN_KEYS.has(s)) ? undefined : segments;
}

function refusedTarget(path: string): PermanentError {
  return new PermanentError('invalid-config', `The target path "${path}" is not allowed.`);
}

/** Writes `value` at checked path segments, creating objects on the way; never touches a prototype. */
function writeAt(target: JsonObject, segments: readonly string[], value: JsonValue): void {
  let current: JsonObject = target;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    const segment = segments[i] as string;
    const next = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (isJsonObject(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[segment] = created;
      current = created;
    }
  }
  current[segments[last] as string] = value;
}

/** Writes `value` at a dotted path, creating objects on the way; never touches a prototype. */
export function setPath(target: JsonObject, path: string, value: JsonValue): void {
  const segments = targetSegments(path);
  if (segments === undefined) throw refusedTarget(path);
  writeAt(target, segments, value);
}

interface FieldMapping {
  target: string;
  /**
   * `target` split once; undefined when the path is not allowed. That is still reported when
   * the field is written, not when the config is read, so errors come in the same order.
   */
  segments: readonly string[] | undefined;
  expression: JsonValue;
  default?: JsonValue;
  required: boolean;
  each?: { items: JsonValue; fields: FieldMapping[] };
}

function fieldsOf(fields: JsonValue | undefined, depth: number, at: string): FieldMapping[] {
  if (!Array.isArray(fields))
    throw new PermanentError('invalid-config', `The mapping${at} has no "fields" list.`);
  return fields.map((f, i) => {
    if (!isJsonObject(f) || typeof f.target !== 'string') {
      throw new PermanentError('invalid-config', `Mapping field ${i + 1}${at} has no target path.`);
    }
    const mapping: FieldMapping = {
      target: f.target,
      segments: targetSegments(f.target),
      expression: f.expression ?? null,
      required: f.required === true,
      ...(f.default !== undefined ? { default: f.default } : {}),
    };
    if (f.each !== undefined) {
      if (depth >= MAX_EACH_DEPTH || !isJsonObject(f.each)) {
        throw new PermanentError(
          'invalid-config',
          `The "each" of "${f.target}" is malformed or nested deeper than ${MAX_EACH_DEPTH} levels.`,
        );
      }
      mapping.each = {
        items: f.each.items ?? null,
        fields: fieldsOf(f.each.fields, depth + 1, ` in "${f.target}"`),
      };
    }
    return mapping;
  });
}

/**
 * Configs read so far, by their `fields` list. A deployed flow's config objects never change,
 * so a mapping is read once per process instead of once per message; a config that fails to
 * read is not kept and fails again, the same way, each time.
 */
const parsedFields = new WeakMap<object, FieldMapping[]>();

function parsedFieldsOf(fields: JsonValue | undefined): FieldMapping[] {
  if (!Array.isArray(fields)) return fieldsOf(fields, 0, '');
  let parsed = parsedFields.get(fields);
  if (parsed === undefined) {
    parsed = fieldsOf(fields, 0, '');
    parsedFields.set(fields, parsed);
  }
  return parsed;
}

interface MapScope {
  ctx: NodeContext;
  /** The options of every expression of one message (tables and clock): built once. */
  options: EvaluateOptions;
}

function mapFields(
  scope: MapScope,
  fields: FieldMapping[],
  data: JsonValue,
  out: JsonObject,
): void {
  const options = scope.options;
  for (const field of fields) {
    let value: JsonValue;
    if (field.each) {
      const items = scope.ctx.evaluate(field.each.items, data, options);
      if (items !== null && !Array.isArray(items)) {
        throw new PermanentError(
          'invalid-input',
          `"${field.target}" maps each element of an array, but its items gave ${typeof items}.`,
          { details: { target: field.target } },
        );
      }
      const each = field.each;
      value =
        items === null
          ? null
          : items.map((item, index) => {
              const element: JsonObject = {};
              mapFields(scope, each.fields, { item, index, root: data }, element);
              return element;
            });
    } else {
      value = scope.ctx.evaluate(field.expression, data, options);
    }
    if (value === null && field.default !== undefined) value = field.default;
    if (value === null && field.required) {
      throw new PermanentError(
        'invalid-input',
        `The required field "${field.target}" has no value.`,
        {
          details: { target: field.target },
        },
      );
    }
    if (field.segments === undefined) throw refusedTarget(field.target);
    writeAt(out, field.segments, value);
  }
}

export const executeMap: NodeExecutor = async (input, ctx) => {
  const tables = isJsonObject(ctx.config.tables)
    ? (ctx.config.tables as Record<string, Record<string, JsonValue>>)
    : {};
  const fields = parsedFieldsOf(ctx.config.fields);
  const out: JsonObject =
    ctx.config.keepSource === true && isJsonObject(input.payload)
      ? structuredClone(input.payload)
      : {};
  mapFields({ ctx, options: { tables, now: ctx.now() } }, fields, input.payload, out);
  const outputSchema = ctx.config.outputSchema;
  if (outputSchema !== undefined) {
    const failures = schemaFailures(String(outputSchema), out);
    if (failures.length > 0) {
      throw new PermanentError(
        'validation-failed',
        `The mapped message is not a valid ${String(outputSchema)}: ${failures
          .slice(0, 3)
          .map((f) => `${formatPointer(f.pointer)} ${f.message}`)
          .join(' ')}${failures.length > 3 ? ` (and ${failures.length - 3} more)` : ''}`,
        { details: { schema: outputSchema, failures, output: out } },
      );
    }
  }
  return emit(out);
};

function formatPointer(pointer: JsonValue | undefined): string {
  return Array.isArray(pointer) && pointer.length > 0 ? `${pointer.join('.')}:` : '(root):';
}
