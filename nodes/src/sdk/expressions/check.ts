import type { JsonPath } from '../json';
import { isJsonObject } from '../json';
import { FORBIDDEN_KEYS, KNOWN_OPERATIONS } from './operations';

export const MAX_EXPRESSION_DEPTH = 64;
export const MAX_EXPRESSION_NODES = 5_000;

export interface ExpressionProblem {
  code: 'expression.unknown-operation' | 'expression.invalid';
  message: string;
  /** Path inside the expression. */
  at: JsonPath;
}

/**
 * Checks a rule before it runs or is saved: only allowlisted operations, no path into the
 * prototype chain, bounded depth and size. Rules are untrusted input.
 */
export function checkExpression(expression: unknown): ExpressionProblem[] {
  const problems: ExpressionProblem[] = [];
  let nodes = 0;
  let reportedSize = false;

  const visit = (value: unknown, at: (string | number)[], depth: number): void => {
    nodes += 1;
    if (nodes > MAX_EXPRESSION_NODES) {
      if (!reportedSize) {
        problems.push({
          code: 'expression.invalid',
          message: `The expression is too large (more than ${MAX_EXPRESSION_NODES} parts).`,
          at,
        });
        reportedSize = true;
      }
      return;
    }
    if (depth > MAX_EXPRESSION_DEPTH) {
      problems.push({
        code: 'expression.invalid',
        message: `The expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels).`,
        at,
      });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, [...at, i], depth + 1);
      });
      return;
    }
    if (!isJsonObject(value)) return;
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      // json-logic reads an object with several keys as a literal value; its values may hold rules.
      for (const key of keys) visit(value[key], [...at, key], depth + 1);
      return;
    }
    const op = keys[0] as string;
    if (!KNOWN_OPERATIONS.has(op)) {
      problems.push({
        code: 'expression.unknown-operation',
        message: `Unknown operation "${op}". Use one of the documented json-logic or Crossdock operations.`,
        at: [...at, op],
      });
    }
    const args = value[op];
    if (op === 'var') {
      const path = Array.isArray(args) ? args[0] : args;
      if (typeof path === 'string' && path.split('.').some((s) => FORBIDDEN_KEYS.has(s))) {
        problems.push({
          code: 'expression.invalid',
          message: `The path "${path}" reaches into the object prototype, which is not allowed.`,
          at: [...at, op],
        });
      }
    }
    visit(args, [...at, op], depth + 1);
  };

  visit(expression, [], 0);
  return problems;
}
