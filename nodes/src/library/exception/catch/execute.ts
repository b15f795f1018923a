import { emit, type NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject, type JsonValue } from '../../../sdk/json';
import { parseErrorMessage } from './error-message';

function includes(list: JsonValue | undefined, value: unknown): boolean {
  return Array.isArray(list) && value !== undefined && list.includes(value as JsonValue);
}

export const executeCatch: NodeExecutor = async (input, ctx) => {
  const { error } = parseErrorMessage(input.payload);
  const status = isJsonObject(error.details) ? error.details.status : undefined;
  const routes = Array.isArray(ctx.config.routes) ? ctx.config.routes : [];
  for (const route of routes) {
    if (!isJsonObject(route) || typeof route.port !== 'string') continue;
    if (includes(route.codes, error.code) || includes(route.statuses, status)) {
      return emit(input.payload, route.port);
    }
  }
  return emit(input.payload, error.errorClass);
};
