import { PermanentError } from '../../../sdk/errors';
import { type ExplicitMilestone, emit, type NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject, type JsonValue } from '../../../sdk/json';

const text = (value: JsonValue | undefined, what: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new PermanentError(
    'invalid-input',
    `The milestone's ${what} gave ${JSON.stringify(value)}; it must be a non-empty string.`,
  );
};

export const executeMilestone: NodeExecutor = async (input, ctx) => {
  const { process, milestone, key, occurredAt, attributes } = ctx.config;
  if (typeof process !== 'string' || typeof milestone !== 'string') {
    throw new PermanentError(
      'invalid-config',
      'The milestone node needs "process" and "milestone".',
    );
  }
  if (!ctx.recordMilestone) {
    throw new PermanentError(
      'invalid-config',
      'This runtime has no control tower to record milestones in.',
    );
  }
  const at = (expr: JsonValue | undefined) =>
    expr === undefined ? undefined : ctx.evaluate(expr, input.payload, { now: ctx.now() });
  const record: ExplicitMilestone = { process, milestone, attributes: {} };
  const k = text(at(key), 'key');
  if (k !== undefined) record.key = k;
  const when = text(at(occurredAt), 'occurredAt');
  if (when !== undefined) {
    if (Number.isNaN(Date.parse(when)))
      throw new PermanentError(
        'invalid-input',
        `The milestone's occurredAt gave "${when}", which is not an ISO 8601 time.`,
      );
    record.occurredAt = new Date(when).toISOString();
  }
  if (isJsonObject(attributes)) {
    for (const [name, expr] of Object.entries(attributes)) {
      const value = at(expr);
      if (value !== undefined) record.attributes[name] = value;
    }
  }
  const result = await ctx.recordMilestone(record);
  ctx.log.info('milestone recorded', { ...result, process, milestone });
  return emit(input.payload);
};
