import {
  getNodeValue,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { type Diagnostic, diagnostic } from './diagnostics';
import type { JsonPath } from './json';

export interface ParsedJson {
  /** The parsed value; `undefined` when the text is not valid JSON. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** 1-based line and column of the value at a path, or of the closest parent that exists. */
  locate(pointer: JsonPath): { line: number; column: number } | undefined;
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing "}" was expected (the file may be cut short)',
  CloseBracketExpected: 'a closing "]" was expected (the file may be cut short)',
  EndOfFileExpected: 'nothing may follow the top-level value',
  InvalidCommentToken: 'comments are not allowed in flow files',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed (the file may be cut short)',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
}

function childAt(node: Node, segment: string | number): Node | undefined {
  if (node.type === 'array' && typeof segment === 'number') return node.children?.[segment];
  if (node.type !== 'object') return undefined;
  for (const prop of node.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value === String(segment)) return value;
  }
  return undefined;
}

/**
 * Parses JSON text without throwing: a syntax error becomes a diagnostic with line and column.
 * Comments and trailing commas are errors, as in any strict JSON file.
 */
export function parseJson(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const starts = lineStarts(text);
  const locate = (pointer: JsonPath) => {
    if (!tree) return undefined;
    let node: Node = tree;
    for (const segment of pointer) {
      const next = childAt(node, segment);
      if (!next) break;
      node = next;
    }
    return position(starts, node.offset);
  };
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    const offset = first?.offset ?? 0;
    const where = position(starts, offset);
    const code = first ? printParseErrorCode(first.error) : 'ValueExpected';
    const d = diagnostic(
      'error',
      'json.syntax',
      `The file is not valid JSON: ${MESSAGES[code] ?? code} at line ${where.line}, column ${where.column}.`,
      [],
    );
    d.line = where.line;
    d.column = where.column;
    return { value: undefined, diagnostics: [d], locate: () => where };
  }
  return { value: getNodeValue(tree), diagnostics: [], locate };
}
