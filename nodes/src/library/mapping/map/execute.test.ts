import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalExamples } from '../../../canonical/examples';
import { findExpressions } from '../../../sdk/expression-fields';
import type { JsonObject, JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeMap, setPath } from './execute';
import { MAX_EACH_DEPTH, mapMapping } from './manifest';

describe('mapping.map', () => {
  it('builds nested targets from expressions, with tables and defaults', async () => {
    const config: JsonObject = {
      fields: [
        { target: 'orderRef', expression: { var: 'order.number' } },
        { target: 'shipTo.country', expression: { upper: { var: 'order.country' } } },
        { target: 'uom', expression: { lookup: ['uom', { var: 'order.unit' }] }, default: 'EA' },
        {
          target: 'lines',
          expression: { map: [{ var: 'order.lines' }, { object: [['sku', { var: 'item' }]] }] },
        },
      ],
      tables: { uom: { KAR: 'CS' } },
    };
    const payload = {
      order: { number: 'SO-1', country: 'de', unit: 'ST', lines: [{ item: 'A' }, { item: 'B' }] },
    };
    const result = await executeMap(message(payload), fakeContext(config));
    expect(result.emissions).toEqual([
      {
        port: 'out',
        payload: {
          orderRef: 'SO-1',
          shipTo: { country: 'DE' },
          uom: 'EA',
          lines: [{ sku: 'A' }, { sku: 'B' }],
        },
      },
    ]);
  });

  it('keeps the source when asked', async () => {
    const result = await executeMap(
      message({ a: 1 }),
      fakeContext({ keepSource: true, fields: [{ target: 'b', expression: { var: 'a' } }] }),
    );
    expect(result.emissions[0]?.payload).toEqual({ a: 1, b: 1 });
  });

  it('rejects a bad config in validation', () => {
    expect(
      checkSchema(mapMapping.configSchema, {
        fields: [{ target: 'constructor.x', expression: 1 }],
      })[0]?.pointer,
    ).toEqual(['fields', 0, 'target']);
    expect(checkSchema(mapMapping.configSchema, { fields: 'a' })[0]?.message).toBe(
      'Must be array.',
    );
  });

  it('fails with a classified error on a config that slipped past validation', async () => {
    await expect(executeMap(message({}), fakeContext({ nope: true }))).rejects.toMatchObject({
      code: 'invalid-config',
    });
    await expect(
      executeMap(
        message({}),
        fakeContext({ fields: [{ target: '__proto__.polluted', expression: 1 }] }),
      ),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-config' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads a config once, yet fails as before: a refused target when its field is written', async () => {
    const config: JsonObject = {
      fields: [
        { target: 'a', expression: { var: 'x' }, required: true },
        { target: 'b..c', expression: 1 },
      ],
    };
    // The same config object on every message, as a deployed flow's: the first error wins.
    for (let i = 0; i < 2; i++) {
      await expect(executeMap(message({}), fakeContext(config))).rejects.toMatchObject({
        code: 'invalid-input',
        message: 'The required field "a" has no value.',
      });
      await expect(executeMap(message({ x: 1 }), fakeContext(config))).rejects.toMatchObject({
        code: 'invalid-config',
        message: 'The target path "b..c" is not allowed.',
      });
    }
    // A config that cannot be read is not kept: it fails the same way every time.
    const broken: JsonObject = { fields: [{ expression: 1 }] };
    for (let i = 0; i < 2; i++) {
      await expect(executeMap(message({}), fakeContext(broken))).rejects.toMatchObject({
        code: 'invalid-config',
        message: 'Mapping field 1 has no target path.',
      });
    }
  });

  it('never throws an unclassified error and never pollutes prototypes, whatever the input', async () => {
    const target = fc.oneof(
      fc.constantFrom(
        'a',
        'a.b',
        '__proto__',
        'x.__proto__.y',
        'constructor.prototype.z',
        'prototype',
      ),
      fc.string({ maxLength: 10 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ target, expression: fc.jsonValue({ maxDepth: 3 }) }), {
          maxLength: 4,
        }),
        fc.jsonValue({ maxDepth: 3 }),
        async (fields, payload) => {
          try {
            const result = await executeMap(
              message(payload as JsonValue),
              fakeContext({ fields: fields as JsonValue }),
            );
            expect(result.emissions).toHaveLength(1);
          } catch (error) {
            expect(error).toMatchObject({ name: 'PermanentError' });
          }
          expect(({} as Record<string, unknown>).y).toBeUndefined();
          expect(({} as Record<string, unknown>).z).toBeUndefined();
          expect(Object.prototype).not.toHaveProperty('polluted');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('setPath replaces a scalar on the way with an object', () => {
    const out = { a: 1 };
    setPath(out, 'a.b', 2);
    expect(out).toEqual({ a: { b: 2 } });
  });
});

describe('mapping.map: nested arrays, required fields and canonical output', () => {
  const x12 = {
    BEG03: 'PO-77',
    PO1: [
      { qty: '2', unit: 'LBR', sku: 'A' },
      { qty: '3', unit: null, sku: 'B' },
    ],
  };
  const each: JsonObject = {
    target: 'lines',
    each: {
      items: { var: 'PO1' },
      fields: [
        { target: 'lineNumber', expression: { '+': [{ var: 'index' }, 1] } },
        { target: 'sku', expression: { var: 'item.sku' } },
        { target: 'order', expression: { var: 'root.BEG03' } },
        { target: 'quantity.value', expression: { to_number: { var: 'item.qty' } } },
        { target: 'quantity.unit', expression: { var: 'item.unit' }, default: 'EA' },
        {
          target: 'weightKg',
          expression: { convert_uom: [{ to_number: { var: 'item.qty' } }, 'LBR', 'KGM'] },
        },
      ],
    },
  };

  it('maps each element of an array with item, index and root in scope', async () => {
    const result = await executeMap(message(x12), fakeContext({ fields: [each] }));
    expect(result.emissions[0]?.payload).toEqual({
      lines: [
        {
          lineNumber: 1,
          sku: 'A',
          order: 'PO-77',
          quantity: { value: 2, unit: 'LBR' },
          weightKg: 0.90718474,
        },
        {
          lineNumber: 2,
          sku: 'B',
          order: 'PO-77',
          quantity: { value: 3, unit: 'EA' },
          weightKg: 1.36077711,
        },
      ],
    });
  });

  it('writes the default, or null, when the array is missing; refuses a non-array', async () => {
    const withDefault = { ...each, default: [] };
    const missing = await executeMap(message({}), fakeContext({ fields: [withDefault] }));
    expect(missing.emissions[0]?.payload).toEqual({ lines: [] });
    await expect(
      executeMap(message({ PO1: 'A,B' }), fakeContext({ fields: [each] })),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-input', message: /"lines"/ });
  });

  it('fails with invalid-input when a required field has no value', async () => {
    const fields = [{ target: 'orderNumber', expression: { var: 'BEG03' }, required: true }];
    await expect(executeMap(message({}), fakeContext({ fields }))).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'invalid-input',
      message: 'The required field "orderNumber" has no value.',
    });
  });

  it('checks the output against a canonical schema, listing every problem', async () => {
    const order = canonicalExamples.SalesOrder as unknown as JsonObject;
    const ok = await executeMap(
      message(order),
      fakeContext({ keepSource: true, fields: [], outputSchema: 'SalesOrder' }),
    );
    expect(ok.emissions[0]?.payload).toEqual(order);
    const error = await executeMap(
      message(order),
      fakeContext({
        keepSource: true,
        fields: [{ target: 'orderNumber', expression: 7 }],
        outputSchema: 'SalesOrder',
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'PermanentError',
      code: 'validation-failed',
      message: expect.stringMatching(/^The mapped message is not a valid SalesOrder: orderNumber:/),
      details: {
        schema: 'SalesOrder',
        failures: [expect.objectContaining({ pointer: ['orderNumber'] })],
      },
    });
  });

  it('rejects bad nested config in validation', () => {
    expect(
      checkSchema(mapMapping.configSchema, {
        fields: [
          {
            target: 'lines',
            each: { items: { var: 'x' }, fields: [{ target: '__proto__', expression: 1 }] },
          },
        ],
      })[0]?.pointer,
    ).toEqual(['fields', 0, 'each', 'fields', 0, 'target']);
    expect(
      checkSchema(mapMapping.configSchema, { fields: [{ target: 'a' }] }).length,
    ).toBeGreaterThan(0);
    expect(
      checkSchema(mapMapping.configSchema, { fields: [], outputSchema: 'Order' })[0]?.pointer,
    ).toEqual(['outputSchema']);
    let deep: JsonObject = { target: 'x', expression: 1 };
    for (let i = 0; i <= MAX_EACH_DEPTH; i++)
      deep = { target: 'x', each: { items: [], fields: [deep] } };
    expect(checkSchema(mapMapping.configSchema, { fields: [deep] }).length).toBeGreaterThan(0);
  });

  it('finds nested expressions for the validator', () => {
    const found = findExpressions(mapMapping.configSchema, { fields: [each] });
    expect(found.map((f) => f.pointer)).toContainEqual([
      'fields',
      0,
      'each',
      'fields',
      5,
      'expression',
    ]);
    expect(found.map((f) => f.pointer)).toContainEqual(['fields', 0, 'each', 'items']);
  });

  it('never throws an unclassified error or pollutes prototypes with nested fields and schemas', async () => {
    const leaf = fc.record({
      target: fc.constantFrom('a', 'b.c', '__proto__.x', 'constructor', 'lines'),
      expression: fc.jsonValue({ maxDepth: 2 }),
    });
    const field = fc.oneof(
      leaf,
      fc.record({
        target: fc.constantFrom('lines', 'x.__proto__'),
        each: fc.record({
          items: fc.oneof(fc.constant({ var: 'items' }), fc.jsonValue({ maxDepth: 2 })),
          fields: fc.array(leaf, { maxLength: 3 }),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(field, { maxLength: 4 }),
        fc.option(fc.constantFrom('SalesOrder', 'Shipment', 'Nope'), { nil: undefined }),
        fc.jsonValue({ maxDepth: 3 }),
        async (fields, outputSchema, payload) => {
          const config = { fields, ...(outputSchema ? { outputSchema } : {}) } as JsonObject;
          try {
            const result = await executeMap(message(payload as JsonValue), fakeContext(config));
            expect(result.emissions).toHaveLength(1);
          } catch (error) {
            expect(error).toMatchObject({ name: 'PermanentError' });
          }
          expect(Object.prototype).not.toHaveProperty('x');
          expect(Object.prototype).not.toHaveProperty('a');
        },
      ),
      { numRuns: 300 },
    );
  });
});
