import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { MAX_DELAY_MS } from './manifest';

export const executeDelay: NodeExecutor = async (input, ctx) => {
  let delayMs: number;
  if (ctx.config.until !== undefined) {
    const until = ctx.evaluate(ctx.config.until, input.payload, { now: ctx.now() });
    const at = typeof until === 'string' ? Date.parse(until) : Number.NaN;
    if (Number.isNaN(at)) {
      throw new PermanentError(
        'invalid-input',
        `The delay's "until" gave ${JSON.stringify(until)}, which is not an ISO 8601 time.`,
      );
    }
    delayMs = Math.min(Math.max(at - ctx.now().getTime(), 0), MAX_DELAY_MS);
  } else {
    const configured = ctx.config.delayMs;
    if (typeof configured !== 'number' || configured < 0 || configured > MAX_DELAY_MS) {
      throw new PermanentError(
        'invalid-config',
        'The delay needs "delayMs" (0 to 30 days) or "until".',
      );
    }
    delayMs = configured;
  }
  return { ...emit(input.payload), delayMs };
};
