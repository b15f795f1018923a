import jsonLogic from 'json-logic-js';
import { PermanentError } from '../errors';
import type { EvaluateOptions } from '../executor-types';
import type { JsonValue } from '../json';
import { checkExpression } from './check';
import { CROSSDOCK_OPERATIONS, type OperationScope, readPath } from './operations';

// json-logic-js keeps its operations in one module-level table, and operations cannot receive
// extra context; evaluation is synchronous, so the scope of the call in progress lives here.
let scope: OperationScope = { tables: {} };
let installed = false;

function install(): void {
  if (installed) return;
  // Replaces json-logic's `var`, which would read inherited properties such as `constructor`.
  jsonLogic.add_operation('var', function (this: unknown, path: unknown, fallback: unknown) {
    const notFound = (fallback === undefined ? null : fallback) as JsonValue;
    if (path === undefined || path === null || path === '') return this as JsonValue;
    return readPath(this, String(path), notFound);
  });
  for (const op of CROSSDOCK_OPERATIONS) {
    jsonLogic.add_operation(op.name, (...args: unknown[]) => op.apply(scope, args));
  }
  installed = true;
}

/**
 * Evaluates a json-logic expression against data. Throws a `PermanentError` with code
 * `expression-failed` when the rule is not allowed or fails; never runs an unknown operation.
 */
export function evaluate(
  expression: unknown,
  data: unknown,
  options: EvaluateOptions = {},
): JsonValue {
  const problems = checkExpression(expression);
  if (problems.length > 0) {
    throw new PermanentError('expression-failed', problems.map((p) => p.message).join(' '), {
      details: problems,
    });
  }
  install();
  const previous = scope;
  scope = { tables: options.tables ?? {}, ...(options.now ? { now: options.now } : {}) };
  try {
    const result: unknown = jsonLogic.apply(expression as jsonLogic.RulesLogic, data);
    return result === undefined ? null : (result as JsonValue);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new PermanentError('expression-failed', `The expression failed: ${message}`, {
      cause: error,
    });
  } finally {
    scope = previous;
  }
}

/** json-logic truthiness, so rules and the designer agree on what counts as true. */
export function truthy(value: unknown): boolean {
  return jsonLogic.truthy(value);
}
