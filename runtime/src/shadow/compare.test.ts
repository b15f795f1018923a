import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bodyDifferences,
  compareRuns,
  fieldName,
  type OutboundRequest,
  requestPath,
} from './compare';

const req = (
  nodeId: string,
  body: OutboundRequest['body'],
  url = 'http://wms.test/fulfillment-orders',
): OutboundRequest => ({
  nodeId,
  method: 'POST',
  url,
  body,
});

describe('compareRuns', () => {
  it('finds identical runs identical, hosts aside', () => {
    const a = {
      requests: [req('n1', { orderRef: 'SO-1', lines: [{ sku: 'A', qty: 1 }] })],
      status: 'succeeded',
    };
    const b = {
      requests: [
        req(
          'n1',
          { lines: [{ qty: 1, sku: 'A' }], orderRef: 'SO-1' },
          'http://other.test/fulfillment-orders',
        ),
      ],
      status: 'succeeded',
    };
    expect(compareRuns(a, b)).toEqual({
      outcome: 'identical',
      differences: [],
      onlyInA: [],
      onlyInB: [],
    });
  });

  it('names each differing field, the method, the path and the final status', () => {
    const a = {
      requests: [req('n1', { warehouse: 'DC-MAIN', lines: [{ uom: 'EA' }, { uom: 'CS' }] })],
      status: 'succeeded',
    };
    const b = {
      requests: [
        {
          ...req(
            'n1',
            { warehouse: 'DC-SOUTH', lines: [{ uom: 'EA' }, { uom: 'PL' }] },
            'http://w/x?y=1',
          ),
          method: 'PUT',
        },
      ],
      status: 'failed',
    };
    const result = compareRuns(a, b);
    expect(result.outcome).toBe('differing');
    expect(result.differences).toEqual([
      { field: 'method', a: 'POST', b: 'PUT', nodeId: 'n1' },
      { field: 'path', a: '/fulfillment-orders', b: '/x?y=1', nodeId: 'n1' },
      { field: 'body.lines[1].uom', a: 'CS', b: 'PL', nodeId: 'n1' },
      { field: 'body.warehouse', a: 'DC-MAIN', b: 'DC-SOUTH', nodeId: 'n1' },
      { field: 'status', a: 'succeeded', b: 'failed' },
    ]);
  });

  it('leaves ignored fields out: by name anywhere, by path with [] and *', () => {
    const a = {
      requests: [req('n1', { sentAt: 1, header: { id: 'x', ts: 1 }, lines: [{ id: 'a', q: 1 }] })],
      status: 'succeeded',
    };
    const b = {
      requests: [req('n1', { sentAt: 2, header: { id: 'y', ts: 2 }, lines: [{ id: 'b', q: 1 }] })],
      status: 'succeeded',
    };
    expect(
      compareRuns(a, b, { ignore: ['sentAt', 'body.lines[].id', 'body.*.ts'] }).differences,
    ).toEqual([{ field: 'body.header.id', a: 'x', b: 'y', nodeId: 'n1' }]);
  });

  it('pairs by node id, through the mapping, then by order; the rest is only on one side', () => {
    const a = {
      requests: [req('hold', { r: 1 }), req('extra', { e: 1 }), req('create', { c: 1 })],
      status: 'succeeded',
    };
    const b = {
      requests: [req('create-v2', { c: 1 }), req('hold', { r: 1 })],
      status: 'succeeded',
    };
    const mapped = compareRuns(a, b, { mapping: { 'create-v2': 'create' } });
    expect(mapped.outcome).toBe('only-in-a');
    expect(mapped.onlyInA.map((r) => r.nodeId)).toEqual(['extra']);
    // Without the mapping the renamed node pairs with the first unclaimed request by order.
    const byOrder = compareRuns(a, b);
    expect(byOrder.outcome).toBe('differing');
    expect(byOrder.differences.map((d) => d.field)).toEqual(['body.c', 'body.e']);
    const onlyB = compareRuns({ requests: [], status: 'succeeded' }, b);
    expect(onlyB.outcome).toBe('only-in-b');
    expect(onlyB.onlyInB).toHaveLength(2);
  });

  it('a run compared with itself is identical, whatever it sent', () => {
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<OutboundRequest['body']>;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('n1', 'n2', 'n3'), json), { maxLength: 5 }),
        (rows) => {
          const requests = rows.map(([id, body]) => req(id, body));
          return (
            compareRuns({ requests, status: 'succeeded' }, { requests, status: 'succeeded' })
              .outcome === 'identical'
          );
        },
      ),
    );
  });

  it('reports a difference for every leaf changed, and only there', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer(), { minKeys: 1 }),
        fc.nat(),
        (body, pick) => {
          const keys = Object.keys(body);
          const changed = keys[pick % keys.length] as string;
          const other = { ...body, [changed]: (body[changed] as number) + 1 };
          expect(bodyDifferences(body, other)).toEqual([
            { field: `body.${changed}`, a: body[changed], b: other[changed] },
          ]);
        },
      ),
    );
  });
});

describe('helpers', () => {
  it('fieldName drops indices; requestPath keeps path and query, or the text when not a URL', () => {
    expect(fieldName('body.lines[12].uom')).toBe('body.lines[].uom');
    expect(requestPath('http://h:1/a/b?c=d')).toBe('/a/b?c=d');
    expect(requestPath('flow:erp-order-changed')).toBe('erp-order-changed');
    expect(requestPath('not a url')).toBe('not a url');
  });
});
