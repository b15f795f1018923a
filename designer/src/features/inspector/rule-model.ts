import { isJsonObject, type JsonValue } from '@crossdock/nodes';

/** The comparisons the visual builder offers; anything else stays raw json-logic. */
export const BINARY_OPERATORS = ['==', '!=', '===', '!==', '>', '>=', '<', '<=', 'in'] as const;
export const UNARY_OPERATORS = ['!!', '!'] as const;
export type BinaryOperator = (typeof BINARY_OPERATORS)[number];
export type UnaryOperator = (typeof UNARY_OPERATORS)[number];

export const OPERATOR_LABELS: Record<BinaryOperator | UnaryOperator, string> = {
  '==': 'equals',
  '!=': 'does not equal',
  '===': 'is exactly',
  '!==': 'is not exactly',
  '>': 'is greater than',
  '>=': 'is at least',
  '<': 'is less than',
  '<=': 'is at most',
  in: 'is contained in',
  '!!': 'is set',
  '!': 'is empty',
};

export type Scalar = string | number | boolean | null;

export type RuleNode =
  | { kind: 'group'; combinator: 'and' | 'or'; rules: RuleNode[] }
  | { kind: 'compare'; field: string; operator: BinaryOperator; value: Scalar }
  | { kind: 'test'; field: string; operator: UnaryOperator }
  | { kind: 'raw'; logic: JsonValue };

function isScalar(v: unknown): v is Scalar {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** `{"var": "a.b"}` with a plain path: the field name, else null. */
function varName(v: unknown): string | null {
  if (!isJsonObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== 'var') return null;
  return typeof v.var === 'string' ? v.var : null;
}

function single(logic: JsonValue): [string, JsonValue] | null {
  if (!isJsonObject(logic)) return null;
  const entries = Object.entries(logic);
  return entries.length === 1 ? (entries[0] as [string, JsonValue]) : null;
}

/**
 * Reads json-logic into the builder's tree. What the builder cannot show exactly becomes a `raw`
 * node, so `toLogic(fromLogic(x))` always equals `x`.
 */
export function fromLogic(logic: JsonValue): RuleNode {
  const op = single(logic);
  if (!op) return { kind: 'raw', logic };
  const [name, args] = op;
  if ((name === 'and' || name === 'or') && Array.isArray(args) && args.length > 0) {
    return { kind: 'group', combinator: name, rules: args.map(fromLogic) };
  }
  if ((BINARY_OPERATORS as readonly string[]).includes(name) && Array.isArray(args)) {
    const field = varName(args[0]);
    if (args.length === 2 && field !== null && isScalar(args[1])) {
      return { kind: 'compare', field, operator: name as BinaryOperator, value: args[1] };
    }
  }
  if ((UNARY_OPERATORS as readonly string[]).includes(name) && Array.isArray(args)) {
    const field = varName(args[0]);
    if (args.length === 1 && field !== null) {
      return { kind: 'test', field, operator: name as UnaryOperator };
    }
  }
  return { kind: 'raw', logic };
}

/** Writes the builder's tree back as json-logic. */
export function toLogic(node: RuleNode): JsonValue {
  switch (node.kind) {
    case 'group':
      return { [node.combinator]: node.rules.map(toLogic) };
    case 'compare':
      return { [node.operator]: [{ var: node.field }, node.value] };
    case 'test':
      return { [node.operator]: [{ var: node.field }] };
    case 'raw':
      return node.logic;
  }
}

/** Reads a typed-in value: numbers, booleans and null as such, anything else as text. */
export function parseScalar(text: string): Scalar {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

export function formatScalar(value: Scalar): string {
  return typeof value === 'string' ? value : String(value);
}
