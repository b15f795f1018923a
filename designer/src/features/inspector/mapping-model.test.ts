import { catalog } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import {
  eachDepth,
  type MappingRow,
  mappingRows,
  previewRow,
  toggleEach,
  wrapInOperation,
} from './mapping-model';

const now = new Date('2026-12-04T10:00:00Z');
const order = {
  number: 'SO-1',
  lines: [
    { sku: 'A', weightLb: 10 },
    { sku: 'B', weightLb: 2.2 },
  ],
};

describe('mapping rows', () => {
  it('reads the nesting the mapping node allows from its schema', () => {
    const map = catalog.get('mapping.map');
    if (!map) throw new Error('catalog changed');
    const fields = (map.configSchema.properties as Record<string, unknown>).fields;
    expect(eachDepth(fields)).toBe(3);
    expect(eachDepth({ type: 'array' })).toBe(0);
  });

  it('turns a value row into an each row and back without losing the expression', () => {
    const row = { target: 'lines', expression: { var: 'lines' } };
    const each = toggleEach(row);
    expect(each).toEqual({ target: 'lines', each: { items: { var: 'lines' }, fields: [] } });
    expect(toggleEach(each)).toEqual(row);
  });

  it('keeps unknown keys and nested rows when reading a fields list', () => {
    const rows = mappingRows([
      { target: 'a', expression: 1, required: true },
      { target: 'b', each: { items: { var: 'x' }, fields: [{ target: 'c', expression: 2 }] } },
      'junk',
    ]);
    expect(rows).toEqual([
      { target: 'a', expression: 1, required: true },
      { target: 'b', each: { items: { var: 'x' }, fields: [{ target: 'c', expression: 2 }] } },
    ]);
  });
});

describe('the operation picker', () => {
  it('puts the current expression first in the operation it picks', () => {
    expect(wrapInOperation('convert_uom', { var: 'item.weightLb' })).toEqual({
      convert_uom: [{ var: 'item.weightLb' }, 'LBR', 'KGM'],
    });
    expect(wrapInOperation('upper', { var: 'code' })).toEqual({ upper: { var: 'code' } });
    expect(wrapInOperation('lookup', { var: 'scac' })).toMatchObject({
      lookup: [{ var: 'scac' }, expect.anything(), expect.anything()],
    });
    expect(wrapInOperation('no-such-op', { var: 'x' })).toEqual({ var: 'x' });
  });
});

describe('previewRow', () => {
  it('evaluates a value row and an each row the way the mapping node does', () => {
    expect(previewRow({ target: 'ref', expression: { var: 'number' } }, order, {}, now)).toEqual({
      ok: true,
      value: 'SO-1',
    });
    const lines: MappingRow = {
      target: 'lines',
      each: {
        items: { var: 'lines' },
        fields: [
          { target: 'sku', expression: { var: 'item.sku' } },
          {
            target: 'kg',
            expression: { round: [{ convert_uom: [{ var: 'item.weightLb' }, 'LBR', 'KGM'] }, 2] },
          },
          { target: 'of', expression: { var: 'root.number' } },
        ],
      },
    };
    expect(previewRow(lines, order, {}, now)).toEqual({
      ok: true,
      value: [
        { sku: 'A', kg: 4.54, of: 'SO-1' },
        { sku: 'B', kg: 1, of: 'SO-1' },
      ],
    });
  });

  it('says what is wrong instead of throwing', () => {
    const bad = previewRow({ target: 'x', expression: { each: [] } }, order, {}, now);
    expect(bad).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Unknown operation "each"/),
    });
    expect(
      previewRow({ target: 'x', each: { items: { var: 'number' }, fields: [] } }, order, {}, now),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/not a list/) });
    expect(previewRow({ target: 'x', expression: 1 }, undefined, {}, now)).toEqual({
      ok: false,
      error: 'no sample',
    });
  });
});
