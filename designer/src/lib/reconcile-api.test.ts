import { describe, expect, it } from 'vitest';
import { createReconcileApi } from './reconcile-api';
import { parseRoute, routeHref } from './router';

const counts = { keys: 2, equal: 1, different: 1, missingLeft: 0, missingRight: 0 };

describe('the reconciliation client', () => {
  it('reads streams and a stream with its drift, and sends runs and decisions', async () => {
    const calls: [string, string, unknown][] = [];
    const answers: Record<string, unknown> = {
      '/api/reconciliations': {
        reconciliations: [
          {
            id: 'items',
            name: 'Items',
            kind: 'master-data',
            owner: 'md',
            schedule: { cron: '0 5 * * *' },
            systems: { left: 'erp', right: 'wms' },
            systemOfRecord: 'erp',
            latest: null,
          },
        ],
      },
      '/api/reconciliations/items%2F1': {
        reconciliation: {
          schemaVersion: 1,
          id: 'items-1',
          name: 'Items',
          kind: 'master-data',
          domain: 'items',
          owner: 'md',
          schedule: { cron: '0 5 * * *' },
          systemOfRecord: 'left',
          left: { system: 'erp', connection: 'erp', path: '/materials', key: ['MATNR'] },
          right: { system: 'wms', connection: 'wms', path: '/items', key: ['sku'] },
          fields: [{ name: 'w', type: 'number', left: { path: 'w' }, right: { path: 'w' } }],
          correction: { flow: 'fix' },
        },
        latest: {
          id: 'rec_1',
          reconciliation: 'items-1',
          trigger: 'manual',
          status: 'succeeded',
          startedAt: '2026-12-04T05:00:00.000Z',
          finishedAt: '2026-12-04T05:00:01.000Z',
          read: { left: 2, right: 2 },
          truncated: false,
          duplicates: [],
          unkeyed: { left: 0, right: 0 },
          counts,
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
              decision: {
                id: 'items-1:rec_1:M1',
                reconciliation: 'items-1',
                key: 'M1',
                run: 'rec_1',
                action: 'accept',
                actor: 'sam',
                at: '2026-12-04T06:00:00.000Z',
                comment: 'ok',
                before: { system: 'wms', values: { w: 12.5 } },
                after: { system: 'wms', values: { w: 12.5 } },
              },
            },
          ],
        },
        trend: [
          {
            run: 'rec_1',
            at: '2026-12-04T05:00:00.000Z',
            status: 'succeeded',
            equal: 1,
            different: 1,
            missingLeft: 0,
            missingRight: 0,
          },
        ],
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
    expect(stream.latest?.counts).toEqual(counts);
    expect(stream.latest?.differences[0]).toMatchObject({
      tower: null,
      drift: { systemOfRecord: 'erp', drifted: 'wms', side: 'left' },
      decision: { action: 'accept', actor: 'sam' },
      fields: [{ field: 'w', compared: { left: 2, right: 5.67 } }],
    });
    expect(stream.trend).toEqual([
      {
        run: 'rec_1',
        at: '2026-12-04T05:00:00.000Z',
        different: 1,
        missingLeft: 0,
        missingRight: 0,
      },
    ]);
    const refused = createReconcileApi(async () => ({ reconciliations: [{ id: 'x' }] }));
    await expect(refused.streams()).rejects.toThrow(
      /\$\.reconciliations\[0\]\.name: The field "name" is required/,
    );
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
