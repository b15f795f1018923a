import type { JsonValue } from '@crossdock/nodes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromLogic, parseScalar, toLogic } from './rule-model';

describe('rule model', () => {
  it('reads groups, comparisons and tests into the builder', () => {
    const logic: JsonValue = {
      and: [
        { '==': [{ var: 'order.status' }, 'RELEASED'] },
        { '!!': [{ var: 'order.lines' }] },
        { '>': [{ var: 'weight' }, 30] },
      ],
    };
    const tree = fromLogic(logic);
    expect(tree).toMatchObject({ kind: 'group', combinator: 'and' });
    if (tree.kind !== 'group') throw new Error('not a group');
    expect(tree.rules.map((r) => r.kind)).toEqual(['compare', 'test', 'compare']);
    expect(toLogic(tree)).toEqual(logic);
  });

  it('keeps what it cannot show as raw json-logic', () => {
    const logic = { '==': [{ upper: { var: 'a' } }, 'X'] };
    expect(fromLogic(logic)).toEqual({ kind: 'raw', logic });
  });

  it('round-trips any JSON exactly', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.record({ var: fc.constantFrom('a', 'b.c') }),
    );
    const logic = fc.letrec<{ node: JsonValue }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.record({ '==': fc.tuple(tie('node'), leaf) }),
        fc.record({ '!!': fc.tuple(tie('node')) }),
        fc.jsonValue() as fc.Arbitrary<JsonValue>,
      ),
    })).node;
    fc.assert(
      fc.property(logic, (l) => {
        expect(toLogic(fromLogic(l))).toEqual(l);
      }),
    );
  });

  it('parses typed values', () => {
    expect(parseScalar('30')).toBe(30);
    expect(parseScalar('true')).toBe(true);
    expect(parseScalar('null')).toBe(null);
    expect(parseScalar('SO-1')).toBe('SO-1');
  });
});
