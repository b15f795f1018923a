import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../sdk/json';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { executeMap, setPath } from './execute';
import { mapNode } from './manifest';

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
      checkSchema(mapNode.configSchema, { fields: [{ target: 'constructor.x', expression: 1 }] })[0]
        ?.pointer,
    ).toEqual(['fields', 0, 'target']);
    expect(checkSchema(mapNode.configSchema, { fields: 'a' })[0]?.message).toBe('Must be array.');
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
