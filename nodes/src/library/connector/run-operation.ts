import { PermanentError } from '../../sdk/errors';
import { emit, type NodeExecutor } from '../../sdk/executor-types';
import { isJsonObject } from '../../sdk/json';
import { parseHttpConfig, runHttp } from './http/execute';
import type { OperationCatalog } from './operations';

/**
 * The executor of a system connector: looks the operation up in its catalog and runs it
 * through the HTTP connector's core.
 */
export function operationExecutor(operations: OperationCatalog): NodeExecutor {
  return async (input, ctx) => {
    const name = ctx.config.operation;
    const op =
      typeof name === 'string' && Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!op) {
      throw new PermanentError(
        'invalid-config',
        `Unknown operation "${String(name)}"; use one of ${Object.keys(operations).join(', ')}.`,
      );
    }
    const query = ctx.config.query ?? {};
    if (!isJsonObject(query))
      throw new PermanentError('invalid-config', '"query" must be an object.');
    const body = ctx.config.body ?? op.body;
    const config = parseHttpConfig({
      method: op.method,
      path: op.path,
      query,
      ...(body !== undefined ? { body } : {}),
      ...(ctx.config.timeoutMs !== undefined ? { timeoutMs: ctx.config.timeoutMs } : {}),
      ...(ctx.config.output !== undefined ? { output: ctx.config.output } : {}),
    });
    return emit(await runHttp(ctx, config, input.payload));
  };
}
