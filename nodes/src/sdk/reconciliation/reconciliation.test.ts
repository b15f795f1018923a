import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../environment';
import { compareRecords, valuesEqual } from './reconciliation-compare';
import { formatReconciliation } from './reconciliation-format';
import { loadReconciliation } from './reconciliation-load';
import type { ReconciliationDocument, ReconciliationField } from './reconciliation-types';
import { validateReconciliation } from './reconciliation-validate';

function stream(overrides: Partial<ReconciliationDocument> = {}): ReconciliationDocument {
  return {
    schemaVersion: 1,
    id: 'items',
    name: 'Item master',
    kind: 'master-data',
    domain: 'items',
    owner: 'master-data',
    schedule: { cron: '0 * * * *' },
    systemOfRecord: 'left',
    left: { system: 'erp', connection: 'erp', path: '/materials', key: ['MATNR'] },
    right: { system: 'wms', connection: 'wms', path: '/items', key: ['sku'] },
    fields: [
      {
        name: 'weightKg',
        type: 'number',
        left: { path: 'BRGEW' },
        right: { path: 'weightLb', scale: 0.45359237 },
        tolerance: { absolute: 0.01 },
      },
      { name: 'uom', type: 'string', left: { path: 'MEINS' }, right: { path: 'uom' } },
    ],
    correction: { flow: 'item-correction' },
    ...overrides,
  };
}

const codes = (doc: unknown, options = {}) =>
  validateReconciliation(doc, options).map((d) => `${d.code} ${d.path}`);

describe('validateReconciliation', () => {
  it('accepts a well-formed master-data stream', () => {
    expect(codes(stream(), { expectedId: 'items' })).toEqual([]);
  });

  it('refuses a non-object and schema problems with paths', () => {
    expect(codes([])).toEqual(['schema.invalid $']);
    const bad = { ...stream(), schedule: { cron: 'every hour' } };
    expect(codes(bad)).toContain('schema.invalid $.schedule.cron');
  });

  it('names an id that does not match the file', () => {
    expect(codes(stream(), { expectedId: 'other' })).toEqual(['reconciliation.id-mismatch $.id']);
  });

  it('refuses a duplicate field, a misplaced tolerance and a scaled string', () => {
    const fields: ReconciliationField[] = [
      { name: 'uom', type: 'string', left: { path: 'a', scale: 2 }, right: { path: 'b' } },
      {
        name: 'uom',
        type: 'string',
        left: { path: 'a' },
        right: { path: 'b' },
        tolerance: { absolute: 1 },
      },
      {
        name: 'w',
        type: 'number',
        left: { path: 'a' },
        right: { path: 'b' },
        tolerance: { ignoreCase: true },
      },
    ];
    expect(codes(stream({ fields }))).toEqual([
      'reconciliation.tolerance $.fields[0].left.scale',
      'reconciliation.duplicate-field $.fields[1].name',
      'reconciliation.tolerance $.fields[1].tolerance.absolute',
      'reconciliation.tolerance $.fields[2].tolerance.ignoreCase',
    ]);
  });

  it('refuses keys of different shapes', () => {
    const right = { ...stream().right, key: ['sku', 'warehouse'] };
    expect(codes(stream({ right }))).toEqual(['reconciliation.key $.right.key']);
  });

  it('holds master data to the domain system of record', () => {
    expect(codes(stream({ systemOfRecord: 'right' }))).toEqual([
      'reconciliation.system-of-record $.systemOfRecord',
    ]);
    const { domain: _d, ...noDomain } = stream();
    expect(codes(noDomain)).toEqual(['reconciliation.system-of-record $.domain']);
    expect(codes(stream({ kind: 'transactional' }))).toEqual([
      'reconciliation.system-of-record $.domain',
      'reconciliation.system-of-record $.systemOfRecord',
      'reconciliation.system-of-record $.correction',
    ]);
  });

  it('checks connections against an environment and the correction flow against the flows', () => {
    const environment: Environment = {
      name: 'dev',
      connections: { erp: { system: 'erp', baseUrl: 'http://127.0.0.1:1' } },
    } as Environment;
    expect(codes(stream(), { environment, flowIds: ['other'] })).toEqual([
      'reconciliation.unknown-connection $.right.connection',
      'reconciliation.unknown-flow $.correction.flow',
    ]);
  });

  it('reads through HTTP or one node, never both', () => {
    const node = { type: 'connector.erp', config: { connection: 'erp-x', operation: 'list' } };
    const right = { system: 'wms', node, key: ['sku'] };
    expect(codes(stream({ right }))).toEqual([]);
    const environment = {
      name: 'dev',
      connections: {
        erp: { system: 'erp', baseUrl: 'http://127.0.0.1:1' },
        wms: { system: 'wms', baseUrl: 'http://127.0.0.1:2' },
      },
    } as unknown as Environment;
    expect(codes(stream({ right }), { environment })).toEqual([
      'reconciliation.unknown-connection $.right.node.config.connection',
    ]);
    const both = { ...stream().right, node };
    expect(codes(stream({ right: both }))).toContain('schema.invalid $.right');
  });

  it('loads with line numbers, and formats canonically and stably', () => {
    const text = JSON.stringify({ ...stream(), owner: '' }, null, 2);
    const loaded = loadReconciliation(text);
    expect(loaded.reconciliation).toBeUndefined();
    expect(loaded.diagnostics[0]?.line).toBeGreaterThan(1);
    const shuffled = JSON.parse(JSON.stringify(stream())) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(shuffled).reverse());
    const once = formatReconciliation(reversed as never);
    expect(once).toBe(formatReconciliation(stream()));
    expect(formatReconciliation(JSON.parse(once) as never)).toBe(once);
    expect(once.indexOf('"schemaVersion"')).toBeLessThan(once.indexOf('"fields"'));
    expect(loadReconciliation(once).reconciliation?.id).toBe('items');
  });
});

describe('compareRecords', () => {
  const orders = {
    left: { system: 'erp', connection: 'erp', path: '/o', key: ['VBELN'] },
    right: { system: 'wms', connection: 'wms', path: '/o', key: ['orderRef'] },
    fields: [
      {
        name: 'status',
        type: 'string' as const,
        left: { path: 'STATUS', values: { REL: 'released', C: 'shipped' } },
        right: { path: 'statusCode', values: { '20': 'released', '50': 'shipped' } },
      },
    ],
  };

  it('reports equal, different with both values, and missing on either side', () => {
    const result = compareRecords(
      orders,
      [
        { VBELN: '1', STATUS: 'REL' },
        { VBELN: '2', STATUS: 'C' },
        { VBELN: '3', STATUS: 'REL' },
        { STATUS: 'REL' },
      ],
      [
        { orderRef: '1', statusCode: 20 },
        { orderRef: '2', statusCode: 20 },
        { orderRef: '4', statusCode: 50 },
        { orderRef: '4', statusCode: 50 },
      ],
    );
    expect(result.counts).toEqual({
      keys: 4,
      equal: 1,
      different: 1,
      missingLeft: 1,
      missingRight: 1,
    });
    expect(result.differences).toEqual([
      {
        key: '2',
        status: 'different',
        fields: [
          {
            field: 'status',
            left: 'C',
            right: 20,
            compared: { left: 'shipped', right: 'released' },
          },
        ],
      },
      { key: '3', status: 'missing-right', fields: [] },
      { key: '4', status: 'missing-left', fields: [] },
    ]);
    expect(result.duplicates).toEqual([{ side: 'right', key: '4' }]);
    expect(result.unkeyed).toEqual({ left: 1, right: 0 });
  });

  it('joins composite keys with a slash', () => {
    const doc = {
      ...orders,
      left: { ...orders.left, key: ['MATNR', 'WERKS'] },
      right: { ...orders.right, key: ['sku', 'warehouse'] },
      fields: [
        {
          name: 'onHand',
          type: 'number' as const,
          left: { path: 'LABST' },
          right: { path: 'qty' },
        },
      ],
    };
    const result = compareRecords(
      doc,
      [{ MATNR: 'A', WERKS: 'W1', LABST: 5 }],
      [{ sku: 'A', warehouse: 'W1', qty: '7' }],
    );
    expect(result.differences[0]).toMatchObject({ key: 'A/W1', status: 'different' });
  });

  it('applies string tolerances', () => {
    const field: ReconciliationField = {
      name: 'city',
      type: 'string',
      left: { path: 'a' },
      right: { path: 'b' },
      tolerance: { ignoreCase: true, ignoreWhitespace: true },
    };
    expect(valuesEqual(' New  York', 'new york ', field)).toBe(true);
    expect(valuesEqual('New York', 'Newark', field)).toBe(false);
    expect(valuesEqual('a', 'A', { ...field, tolerance: {} })).toBe(false);
    expect(valuesEqual(null, 'a', field)).toBe(false);
  });

  it('equal within a tolerance, different beyond it (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, absolute, fraction) => {
          const field: ReconciliationField = {
            name: 'n',
            type: 'number',
            left: { path: 'n' },
            right: { path: 'n' },
            tolerance: { absolute },
          };
          expect(valuesEqual(a, a + absolute * fraction, field)).toBe(true);
          expect(valuesEqual(a, a + absolute * 1.01 + 1e-3 * Math.max(1, Math.abs(a)), field)).toBe(
            false,
          );
          const relative: ReconciliationField = { ...field, tolerance: { relative: 0.01 } };
          expect(valuesEqual(a, a * (1 + 0.005 * fraction), relative)).toBe(true);
        },
      ),
    );
  });

  it('every key lands in exactly one bucket (property)', () => {
    const side = fc.array(
      fc.record({ k: fc.integer({ min: 0, max: 30 }), v: fc.integer({ min: 0, max: 3 }) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(side, side, (l, r) => {
        const doc = {
          left: { system: 'a', connection: 'a', path: '/', key: ['k'] },
          right: { system: 'b', connection: 'b', path: '/', key: ['k'] },
          fields: [
            { name: 'v', type: 'number' as const, left: { path: 'v' }, right: { path: 'v' } },
          ],
        };
        const result = compareRecords(doc, l, r);
        const c = result.counts;
        expect(c.equal + c.different + c.missingLeft + c.missingRight).toBe(c.keys);
        expect(result.differences).toHaveLength(c.keys - c.equal);
        expect(c.keys).toBe(new Set([...l, ...r].map((x) => x.k)).size);
      }),
    );
  });
});
