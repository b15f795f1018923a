import { PermanentError } from '../../../sdk/errors';
import type { NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject } from '../../../sdk/json';

const MAX_REASON = 1000;

/**
 * Parks the message: fails the step permanently with code `dead-lettered` and the reason, so the
 * runtime puts the run in the exception queue (no retry) with this node's input for a replay.
 */
export const executeDeadLetter: NodeExecutor = async (input, ctx) => {
  const value = ctx.evaluate(ctx.config.reason ?? null, input.payload, { now: ctx.now() });
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PermanentError(
      'invalid-config',
      `The dead-letter reason must give text; it gave ${JSON.stringify(value)}.`,
    );
  }
  const reason = value.length > MAX_REASON ? `${value.slice(0, MAX_REASON)}…` : value;
  const caught = isJsonObject(input.payload) ? input.payload.error : undefined;
  throw new PermanentError('dead-lettered', reason, {
    ...(isJsonObject(caught) ? { details: { error: caught } } : {}),
  });
};
