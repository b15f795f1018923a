import { PermanentError } from '../errors';

/**
 * What one evaluation may spend. Expressions are untrusted input: a 200-character rule that
 * doubles an array in a `reduce` can otherwise allocate gigabytes, so every limit is checked
 * while the rule runs, not before.
 */
export interface ExpressionBudget {
  /** Operations evaluated (every json-logic node visited, loops included). */
  maxOperations: number;
  /** Characters of any text an operation builds. */
  maxTextLength: number;
  /** Elements of any array (or keys of any object) an operation builds. */
  maxItems: number;
  /**
   * Everything built, summed over the evaluation: characters of texts plus elements of arrays
   * and keys of objects. Bounds memory even when each value stays under its own limit.
   */
  maxAllocation: number;
  /** Nesting depth of evaluation and of any value an operation builds. */
  maxDepth: number;
  /** Epoch ms (`Date.now()`) after which the evaluation stops: the node's timeout. */
  deadline?: number;
}

export const DEFAULT_EXPRESSION_BUDGET: Readonly<ExpressionBudget> = {
  maxOperations: 1_000_000,
  maxTextLength: 1_000_000,
  maxItems: 100_000,
  maxAllocation: 5_000_000,
  maxDepth: 100,
};

export type BudgetLimit = 'operations' | 'text' | 'items' | 'allocation' | 'depth' | 'time';

/** How often (in operations) the clock is read: `Date.now()` on every node would cost more than the node. */
const CLOCK_EVERY = 256;

/** The permanent error of an evaluation that went over its budget; the runtime adds node and field. */
export function budgetError(limit: BudgetLimit, message: string, details: object): PermanentError {
  return new PermanentError('expression-budget', message, { details: { limit, ...details } });
}

/** Operations whose result is a value that already exists (data or an earlier result): not charged. */
export const REFERENCE_OPERATIONS: ReadonlySet<string> = new Set([
  'var',
  'if',
  '?:',
  'and',
  'or',
  'reduce',
  'get',
  'lookup',
  'coalesce',
]);

/** True when no element (or property value) of an array or object is itself an object. */
function isFlat(value: object): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) return false;
    return true;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) return false;
  }
  return true;
}

/** Counts one evaluation's spending and throws the moment a limit is passed. */
export class BudgetMeter {
  private operations = 0;
  private allocated = 0;
  private depth = 0;
  /** Nesting depth of values seen, so a deep value is measured once (made on first use). */
  private depths: WeakMap<object, number> | undefined;

  constructor(readonly budget: ExpressionBudget) {}

  /** Called as each json-logic node starts; `leave` when it ends. */
  enter(): void {
    this.operations += 1;
    this.depth += 1;
    const b = this.budget;
    if (this.operations > b.maxOperations) {
      throw budgetError(
        'operations',
        `The expression evaluated more than ${b.maxOperations} operations.`,
        { max: b.maxOperations },
      );
    }
    if (this.depth > b.maxDepth) {
      throw budgetError('depth', `The expression nests deeper than ${b.maxDepth} levels.`, {
        max: b.maxDepth,
      });
    }
    if (b.deadline !== undefined && this.operations % CLOCK_EVERY === 0) {
      if (Date.now() > b.deadline) {
        throw budgetError('time', 'The expression ran past the node timeout.', {
          operations: this.operations,
        });
      }
    }
  }

  leave(): void {
    this.depth -= 1;
  }

  /** Charges what an operation built; `op` undefined is an array literal. */
  charge(op: string | undefined, result: unknown): void {
    if (op !== undefined && REFERENCE_OPERATIONS.has(op)) return;
    if (typeof result === 'string') {
      this.chargeText(result.length);
    } else if (Array.isArray(result)) {
      this.chargeItems(result.length);
      this.checkDepth(result);
    } else if (typeof result === 'object' && result !== null) {
      this.chargeItems(Object.keys(result).length);
      this.checkDepth(result);
    }
  }

  /** Checked before an operation builds a text of `length` characters. */
  chargeText(length: number): void {
    const b = this.budget;
    if (length > b.maxTextLength) {
      throw budgetError(
        'text',
        `The expression built a text of ${length} characters, more than ${b.maxTextLength}.`,
        { max: b.maxTextLength, size: length },
      );
    }
    this.allocate(length);
  }

  /** Checked before an operation builds an array or object of `count` elements. */
  chargeItems(count: number): void {
    const b = this.budget;
    if (count > b.maxItems) {
      throw budgetError(
        'items',
        `The expression built an array of ${count} elements, more than ${b.maxItems}.`,
        { max: b.maxItems, size: count },
      );
    }
    this.allocate(count);
  }

  private allocate(amount: number): void {
    this.allocated += amount;
    const b = this.budget;
    if (this.allocated > b.maxAllocation) {
      throw budgetError(
        'allocation',
        `The expression built more than ${b.maxAllocation} characters and elements in all.`,
        { max: b.maxAllocation },
      );
    }
  }

  private checkDepth(value: object): void {
    // A flat value (the usual array literal) is one level deep: said without the memo, whose
    // WeakMap would cost more than the value. Its elements are read again below if not flat.
    const depth = isFlat(value) ? 1 : this.depthOf(value, 0);
    if (depth > this.budget.maxDepth) {
      throw budgetError(
        'depth',
        `The expression built a value nested deeper than ${this.budget.maxDepth} levels.`,
        { max: this.budget.maxDepth },
      );
    }
  }

  /** Depth of a value, memoised; stops counting past the limit (so a cycle cannot loop). */
  private depthOf(value: unknown, level: number): number {
    if (typeof value !== 'object' || value === null) return 0;
    this.depths ??= new WeakMap();
    const known = this.depths.get(value);
    if (known !== undefined) return known;
    if (level > this.budget.maxDepth) return this.budget.maxDepth + 1;
    let deepest = 0;
    const items = Array.isArray(value) ? value : Object.values(value);
    for (const item of items) {
      const d = this.depthOf(item, level + 1);
      if (d > deepest) deepest = d;
      if (deepest > this.budget.maxDepth) break;
    }
    const depth = deepest + 1;
    this.depths.set(value, depth);
    return depth;
  }
}
