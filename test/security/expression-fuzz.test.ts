import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  CROSSDOCK_OPERATIONS,
  type ExpressionBudget,
  evaluate,
  JSON_LOGIC_OPERATIONS,
  type JsonValue,
} from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11 item 2: random and mutated expressions thrown at the evaluator under a small budget.
 * Each ends (no hang, no crash), yields a value within the size limits or a classified error, and
 * the heap never grows by more than a set bound.
 */
const BUDGET: ExpressionBudget = {
  maxOperations: 20_000,
  maxTextLength: 20_000,
  maxItems: 2_000,
  maxAllocation: 100_000,
  maxDepth: 40,
};
const HEAP_BOUND = 64 * 1024 * 1024;
const OPERATIONS = [...JSON_LOGIC_OPERATIONS, ...CROSSDOCK_OPERATIONS.map((op) => op.name)];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const data = {
  order: 'SO-1',
  lines: [
    { sku: 'A', qty: 2 },
    { sku: 'B', qty: 5 },
  ],
  n: Array.from({ length: 30 }, (_, i) => i),
  text: 'x'.repeat(500),
};

const literal = fc.oneof(
  fc.integer({ min: -5, max: 2000 }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('accumulator', 'current', 'lines', 'n', 'text', 'order', 'lines.0.sku', ''),
  fc.boolean(),
  fc.constant(null),
);

const { expr } = fc.letrec<{ expr: unknown; op: unknown }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    tie('op'),
    fc.array(tie('expr'), { maxLength: 4 }),
  ),
  op: fc
    .tuple(fc.constantFrom(...OPERATIONS), fc.array(tie('expr'), { maxLength: 4 }))
    .map(([op, args]) => ({ [op]: args })),
}));

/** The known attacks, with their sizes and operations varied. */
const attack = fc
  .record({
    grow: fc.constantFrom('merge', 'cat', 'join', 'map'),
    shape: fc.constantFrom('pad_start', 'pad_end', 'cat', 'split', 'upper', 'merge'),
    rounds: fc.integer({ min: 1, max: 40 }),
  })
  .map(({ grow, shape, rounds }) => {
    const acc = { var: 'accumulator' };
    const step =
      grow === 'merge'
        ? { merge: [acc, acc] }
        : grow === 'cat'
          ? { cat: [acc, acc] }
          : grow === 'join'
            ? { join: [[acc, acc, acc], acc] }
            : { map: [{ merge: [acc, acc] }, [{ var: '' }, { var: '' }]] };
    const seed = grow === 'merge' || grow === 'map' ? [1] : 'ab';
    return {
      map: [
        { reduce: [{ merge: Array.from({ length: rounds }, (_, i) => i) }, step, seed] },
        { [shape]: [{ var: '' }, 1000, 'y'] },
      ],
    };
  });

/** Random edits of a known attack: a subtree swapped for a random expression. */
const mutated = fc.tuple(attack, expr, fc.integer({ min: 0, max: 5 })).map(([a, e, at]) => {
  const copy = structuredClone(a) as { map: [unknown, unknown] };
  if (at === 0) copy.map[1] = e;
  else if (at === 1) copy.map[0] = { reduce: [{ var: 'n' }, e, [1]] };
  else if (at === 2) return { merge: [e, copy, e] };
  else if (at === 3) return { map: [copy, e] };
  return copy;
});

function sizeOk(value: JsonValue): boolean {
  if (typeof value === 'string') return value.length <= BUDGET.maxTextLength;
  if (Array.isArray(value)) return value.length <= BUDGET.maxItems;
  return true;
}

describe('security: fuzzed expressions stay within their budget', () => {
  it('random, attack and mutated expressions end with a bounded value or a classified error', () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(fc.oneof(expr, attack, mutated), (rule) => {
        try {
          const value = evaluate(rule, data, {
            now: new Date('2026-11-27T10:00:00Z'),
            budget: { ...BUDGET, deadline: Date.now() + 2_000 },
          });
          expect(sizeOk(value)).toBe(true);
          codes.set('ok', (codes.get('ok') ?? 0) + 1);
        } catch (error) {
          expect(error).toMatchObject({ name: 'PermanentError', errorClass: 'permanent' });
          const code = (error as { code: string }).code;
          expect(['expression-failed', 'expression-budget']).toContain(code);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }),
      { numRuns: 1_500, seed: 1_128 },
    );
    expect(peak).toBeLessThan(HEAP_BOUND);
    // The generators reach all three outcomes, so the property is not vacuous.
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect(codes.get('expression-budget')).toBeGreaterThan(0);
    expect(codes.get('expression-failed')).toBeGreaterThan(0);
  });

  it('every attack shape is stopped by the budget, not by the process running out of memory', () => {
    fc.assert(
      fc.property(attack, (rule) => {
        const rounds = (rule.map[0] as { reduce: [{ merge: unknown[] }] }).reduce[0].merge.length;
        try {
          const value = evaluate(rule, data, { budget: BUDGET });
          // Only a few doublings fit the budget.
          expect(rounds).toBeLessThan(20);
          expect(sizeOk(value)).toBe(true);
        } catch (error) {
          expect(error).toMatchObject({ code: 'expression-budget' });
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
