import { PermanentError } from '../../../sdk/errors';
import type { NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject } from '../../../sdk/json';

const MAX_REASON = 1000;

export const executeDeadLetter: NodeExecutor = async (input, ctx) => {
  const value = ctx.evaluate(ctx.config.reason ?? null, input.payload, { now: ctx.now() });
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PermanentError(
      'invalid-config',
      `The dead-letter reason must give text; it gave ${JSON.stringify(value)}.`,
    );
  }
  const reason = value.length > MAX_REASON ? `${value.slice(0, MAX_REASON)}…` : value;
  const error = isJsonObject(input.payload) ? input.payload.error : undefined;
  return {
    emissions: [],
    deadLetter: { reason, ...(isJsonObject(error) ? { details: { error } } : {}) },
  };
};
