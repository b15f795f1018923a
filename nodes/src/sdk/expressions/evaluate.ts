import jsonLogic from 'json-logic-js';
import { PermanentError } from '../errors';
import type { EvaluateOptions } from '../executor-types';
import type { JsonValue } from '../json';
import { BudgetMeter, DEFAULT_EXPRESSION_BUDGET, type ExpressionBudget } from './budget';
import { checkExpression } from './check';
import {
  type CompiledRule,
  compileRule,
  concatenate,
  type MeteredScope,
  mergeAll,
  readVar,
  setJsonLogicIn,
  setUnwrappedApply,
} from './compile';
import {
  allowedSegments,
  CROSSDOCK_OPERATIONS,
  type OperationScope,
  readAllowedSegments,
} from './operations';

// json-logic-js keeps its operations in one module-level table, and operations cannot receive
// extra context; evaluation is synchronous, so the scope of the call in progress lives here.
let scope: OperationScope = { tables: {} };
let installed = false;
/** What is kept of a rule object that passed `checkExpression`. */
interface CheckedRule {
  /**
   * The path of a plain reference (`{"var": "a.b"}`, most mapping fields), split; else
   * undefined (a forbidden path never passes the check).
   */
  varPath: readonly string[] | undefined;
  /** The rule turned into closures (`compile.ts`), on its first evaluation. */
  compiled: CompiledRule | undefined;
}

/**
 * Rule objects that passed `checkExpression`. A flow's rules are the same objects on every step
 * (deployed documents never change), so each is walked and compiled once per process, not once
 * per message.
 */
const checked = new WeakMap<object, CheckedRule>();

/** The path of a plain `{"var": "<path>"}` with a non-empty text path, else ''. */
function plainVarPath(expression: object): string {
  if (Array.isArray(expression)) return '';
  const keys = Object.keys(expression);
  const path = (expression as { var?: unknown }).var;
  return keys.length === 1 && keys[0] === 'var' && typeof path === 'string' ? path : '';
}

type Apply = (logic: unknown, data: unknown) => unknown;

function install(): void {
  if (installed) return;
  // Rules may not name `log` (the check refuses it), but `missing` and `missing_some` evaluate
  // keys taken from the data as rules: a payload could still reach console.log through them.
  jsonLogic.rm_operation('log');
  // Replaces json-logic's `var`, which would read inherited properties such as `constructor`.
  jsonLogic.add_operation('var', function (this: unknown, path: unknown, fallback: unknown) {
    return readVar(this, path, fallback);
  });
  jsonLogic.add_operation('merge', (...args: unknown[]) => mergeAll(scope.meter, args));
  jsonLogic.add_operation('cat', (...args: unknown[]) => concatenate(scope.meter, args));
  for (const op of CROSSDOCK_OPERATIONS) {
    jsonLogic.add_operation(op.name, (...args: unknown[]) => op.apply(scope, args));
  }
  // json-logic-js recurses through `jsonLogic.apply`, so wrapping it meters every node it
  // visits, loops included: the budget holds while the rule runs.
  const apply = jsonLogic.apply.bind(jsonLogic) as Apply;
  setUnwrappedApply(apply);
  // Two references to values already evaluated, read without a meter: the wrapper then
  // counts nothing, and json-logic's `in` runs on exactly those values.
  const inRule = { in: [{ var: '0' }, { var: '1' }] };
  setJsonLogicIn((a, b) => {
    const previous = scope;
    scope = { tables: {} };
    try {
      return apply(inRule, [a, b]);
    } finally {
      scope = previous;
    }
  });
  const metered: Apply = (logic, data) => {
    const meter = scope.meter;
    if (!meter) return apply(logic, data);
    const op = Array.isArray(logic)
      ? undefined
      : jsonLogic.is_logic(logic)
        ? jsonLogic.get_operator(logic as Record<string, unknown>)
        : null;
    if (op === null) return logic;
    meter.enter();
    try {
      const result = apply(logic, data);
      meter.charge(op, result);
      return result;
    } finally {
      meter.leave();
    }
  };
  (jsonLogic as unknown as { apply: Apply }).apply = metered;
  installed = true;
}

/**
 * Evaluates a json-logic expression against data, within a budget (`options.budget`, else
 * `DEFAULT_EXPRESSION_BUDGET`). Throws a `PermanentError` with code `expression-failed` when the
 * rule is not allowed or fails, `expression-budget` when it spends more than its budget; never
 * runs an unknown operation.
 */
export function evaluate(
  expression: unknown,
  data: unknown,
  options: EvaluateOptions = {},
): JsonValue {
  return evaluateRule(expression, data, options, options.budget, undefined, false);
}

/**
 * `evaluate` through json-logic-js itself, node by node under the metering wrapper, never the
 * compiled closures: the reference the compiled evaluator is tested against.
 */
export function evaluateInterpreted(
  expression: unknown,
  data: unknown,
  options: EvaluateOptions = {},
): JsonValue {
  return evaluateRule(expression, data, options, options.budget, undefined, true);
}

/**
 * The limits of a budget given in part: the defaults for the rest. What `evaluate` spends by;
 * a caller that evaluates many expressions under one budget resolves it once.
 */
export function resolveBudget(budget: Partial<ExpressionBudget> | undefined): ExpressionBudget {
  return { ...DEFAULT_EXPRESSION_BUDGET, ...budget };
}

/**
 * `evaluate` with the budget apart from the options, already resolved (`resolveBudget`); the
 * options' own budget is ignored. The runtime's path: one budget per step, and no options or
 * budget object built per expression. Each call still gets its own meter, as `evaluate` does.
 */
export function evaluateWithin(
  expression: unknown,
  data: unknown,
  options: EvaluateOptions,
  budget: Readonly<ExpressionBudget>,
): JsonValue {
  return evaluateRule(expression, data, options, budget, budget, false);
}

function evaluateRule(
  expression: unknown,
  data: unknown,
  options: EvaluateOptions,
  budget: Partial<ExpressionBudget> | undefined,
  resolved: Readonly<ExpressionBudget> | undefined,
  interpret: boolean,
): JsonValue {
  const known = typeof expression === 'object' && expression !== null;
  let entry = known ? checked.get(expression) : undefined;
  if (entry === undefined) {
    const problems = checkExpression(expression);
    if (problems.length > 0) {
      throw new PermanentError('expression-failed', problems.map((p) => p.message).join(' '), {
        details: problems,
      });
    }
    if (known) {
      const path = plainVarPath(expression);
      entry = { varPath: path ? allowedSegments(path) : undefined, compiled: undefined };
      checked.set(expression, entry);
    }
  }
  if (entry?.varPath) {
    // One reference: one operation at depth one that builds nothing, so within any budget that
    // allows an operation at all; read at once, without json-logic or a meter (same answer).
    if ((budget?.maxOperations ?? 1) >= 1 && (budget?.maxDepth ?? 1) >= 1) {
      return readAllowedSegments(data, entry.varPath, null);
    }
  }
  install();
  const previous = scope;
  const current: MeteredScope = {
    tables: options.tables ?? {},
    // Absent and undefined are the same to `now`; a spread here was a cost per expression.
    now: options.now,
    meter: new BudgetMeter(resolved ?? resolveBudget(budget)),
  };
  scope = current;
  try {
    let result: unknown;
    if (entry && !interpret) {
      entry.compiled ??= compileRule(expression);
      result = entry.compiled(data, current);
    } else {
      result = jsonLogic.apply(expression as jsonLogic.RulesLogic, data);
    }
    return result === undefined ? null : (result as JsonValue);
  } catch (error) {
    if (error instanceof PermanentError && error.code === 'expression-budget') throw error;
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
