import { isJsonObject } from '../json';

const INFIX: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '≠',
  '!==': '≠',
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
  '+': '+',
  '-': '-',
  '*': '×',
  '/': '/',
  '%': 'mod',
  in: 'in',
};

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'null');
}

/**
 * Renders a json-logic expression the way an analyst reads it, e.g.
 * `{">": [{"var": "weightKg"}, 30]}` as `weightKg > 30`. For display only: never parsed back.
 */
export function expressionToText(expression: unknown, nested = false): string {
  if (Array.isArray(expression))
    return `[${expression.map((e) => expressionToText(e, false)).join(', ')}]`;
  if (!isJsonObject(expression)) return literal(expression);
  const keys = Object.keys(expression);
  if (keys.length !== 1) return literal(expression);
  const op = keys[0] as string;
  const raw = expression[op];
  const args = Array.isArray(raw) ? raw : [raw];
  const wrap = (text: string) => (nested ? `(${text})` : text);
  if (op === 'var') {
    const path = args[0];
    const name = path === '' || path === null || path === undefined ? 'message' : String(path);
    return args.length > 1 ? `${name} ?? ${expressionToText(args[1], true)}` : name;
  }
  if (op === 'and' || op === 'or')
    return wrap(args.map((a) => expressionToText(a, true)).join(` ${op} `));
  if (op === '!') return `not ${expressionToText(args[0], true)}`;
  if (op === '!!') return `${expressionToText(args[0], true)} is set`;
  if (op === 'if' || op === '?:') {
    const parts: string[] = [];
    for (let i = 0; i + 1 < args.length; i += 2) {
      parts.push(
        `${i === 0 ? 'if' : 'else if'} ${expressionToText(args[i], true)} then ${expressionToText(args[i + 1], true)}`,
      );
    }
    if (args.length % 2 === 1) parts.push(`else ${expressionToText(args[args.length - 1], true)}`);
    return wrap(parts.join(' '));
  }
  const infix = INFIX[op];
  if (infix && args.length === 2) {
    return wrap(`${expressionToText(args[0], true)} ${infix} ${expressionToText(args[1], true)}`);
  }
  if (infix && args.length === 3 && (op === '<' || op === '<=')) {
    return wrap(
      `${expressionToText(args[0], true)} ${infix} ${expressionToText(args[1], true)} ${infix} ${expressionToText(args[2], true)}`,
    );
  }
  return `${op}(${args.map((a) => expressionToText(a, false)).join(', ')})`;
}
