import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject } from '../../../sdk/json';

/** Emits the configured payload plus `firedAt`, the tick's time on the run clock. */
export const executeSchedule: NodeExecutor = async (input, ctx) => {
  const fixed = isJsonObject(ctx.config.payload) ? ctx.config.payload : {};
  const fromRuntime = isJsonObject(input.payload) ? input.payload : {};
  const firedAt =
    typeof fromRuntime.firedAt === 'string' ? fromRuntime.firedAt : ctx.now().toISOString();
  return emit({ ...fixed, firedAt });
};
