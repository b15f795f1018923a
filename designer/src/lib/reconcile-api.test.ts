import { describe, expect, it } from 'vitest';
import { createReconcileApi } from './reconcile-api';
import { parseRoute, routeHref } from './router';

describe('the reconciliation client', () => {
  it('parses streams and a stream with its drift, and sends runs and decisions', async () => {
    const calls: [string, string, unknown][] = [];
    const answers: Record<string, unknown> = {
      '/api/reconciliations': {
        reconciliations: [
          {
            id: 'items',
            name: 'Items',
            kind: 'master-data',
            owner: 'md',
            systems: { left: 'erp', right: 'wms' },
            systemOfRecord: 'erp',
            latest: null,
          },
        ],
      },
      '/api/reconciliations/items%2F1': {
        reconciliation: {
          id: 'items/1',
          name: 'Items',
          kind: 'master-data',
          owner: 'md',
          left: { system: 'erp' },
          right: { system: 'wms' },
          correction: { flow: 'fix' },
        },
        latest: {
          id: 'rec_1',
          status: 'succeeded',
          startedAt: 't',
          counts: { keys: 2, equal: 1, different: 1 },
          differences: [
            {
              key: 'M1',
              status: 'different',
              fields: [{ field: 'w', left: 2, right: 12.5, compared: { left: 2, right: 5.67 } }],
              drift: {
                systemOfRecord: { side: 'left', system: 'erp' },
                drifted: { side: 'right', system: 'wms' },
                fields: [{ field: 'w', systemOfRecord: 2, drifted: 12.5 }],
              },
              decision: { action: 'accept', actor: 'sam', at: 't', comment: 'ok' },
              tower: 42,
            },
          ],
        },
        trend: [{ run: 'rec_1', at: 't', different: 1 }],
      },
    };
    const api = createReconcileApi(async (method, path, body) => {
      calls.push([method, path, body]);
      return answers[path] ?? {};
    });
    expect(await api.streams()).toEqual([
      {
        id: 'items',
        name: 'Items',
        kind: 'master-data',
        owner: 'md',
        left: 'erp',
        right: 'wms',
        systemOfRecord: 'erp',
        latest: null,
      },
    ]);
    const stream = await api.stream('items/1');
    expect(stream.correction).toBe('fix');
    expect(stream.latest?.counts).toEqual({
      keys: 2,
      equal: 1,
      different: 1,
      missingLeft: 0,
      missingRight: 0,
    });
    expect(stream.latest?.differences[0]).toMatchObject({
      tower: null,
      drift: { systemOfRecord: 'erp', drifted: 'wms', side: 'left' },
      decision: { action: 'accept', actor: 'sam' },
      fields: [{ field: 'w', compared: { left: 2, right: 5.67 } }],
    });
    expect(stream.trend).toEqual([
      { run: 'rec_1', at: 't', different: 1, missingLeft: 0, missingRight: 0 },
    ]);
    await api.run('items/1');
    await api.decide('items/1', 'M 1', 'approve', 'why');
    expect(calls.slice(2)).toEqual([
      ['POST', '/api/reconciliations/items%2F1/run', undefined],
      [
        'POST',
        '/api/reconciliations/items%2F1/differences/M%201/decision',
        { action: 'approve', comment: 'why' },
      ],
    ]);
  });

  it('routes the reconciliation page by stream, both ways', () => {
    for (const route of [
      { page: 'reconcile', streamId: null },
      { page: 'reconcile', streamId: 'item-master/x' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
