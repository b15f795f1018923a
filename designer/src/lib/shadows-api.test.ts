import type { FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';
import { createShadowsApi } from './shadows-api';

const shadow = (extra: Record<string, unknown> = {}) => ({
  id: 'shd_1',
  flowId: 'f/1',
  version: '1.1.0',
  deployedVersion: '1.1.0+shadow.abc',
  hash: 'abc',
  activeVersion: '1.0.0',
  sample: 1,
  mapping: {},
  ignore: [],
  status: 'running',
  startedAt: '2026-12-04T12:00:00.000Z',
  startedBy: 'admin',
  ...extra,
});

describe('the shadows client', () => {
  it('reads the report as the contract types it, and sends start and stop', async () => {
    const calls: [string, string, unknown][] = [];
    const answers: Record<string, unknown> = {
      '/api/flows/f%2F1/shadows/shd_1': {
        shadow: shadow(),
        counts: { mirrored: 3, compared: 2, identical: 1, differing: 1, onlyInA: 0, onlyInB: 0 },
        timeline: [{ at: '2026-12-04T12:00Z', counts: { identical: 1, differing: 1 } }],
        fields: [
          {
            field: 'body.warehouse',
            count: 1,
            examples: [
              {
                businessKeys: { order: 'SO-1' },
                aRunId: 'a',
                bRunId: 'b',
                field: 'body.warehouse',
                a: 'X',
                b: 'Y',
              },
            ],
          },
        ],
        differences: [
          {
            outcome: 'differing',
            businessKeys: {},
            aRunId: 'a',
            bRunId: 'b',
            aStatus: 'succeeded',
            bStatus: 'succeeded',
            differences: [{ field: 'body.warehouse', a: 'X' }],
            onlyInA: [],
            onlyInB: [
              { nodeId: 'n', method: 'POST', url: 'u', body: null },
              { nodeId: 'n', method: 'POST', url: 'u', body: 1 },
            ],
            at: '2026-12-04T12:00:00.000Z',
          },
        ],
        cutover: {
          met: false,
          criterion: { minRuns: 5, minIdenticalPercent: 99, fields: [], requireForPromotion: true },
          checks: [{ name: 'runs', met: false, detail: '2 of 5' }],
        },
      },
      '/api/flows/f%2F1/shadows': shadow({ id: 'shd_2', sample: 0.5 }),
      '/api/flows/f%2F1/shadows/shd_2': shadow({
        id: 'shd_2',
        status: 'stopped',
        stoppedAt: '2026-12-04T13:00:00.000Z',
        stoppedBy: 'admin',
      }),
    };
    const api = createShadowsApi(async (method, path, body) => {
      calls.push([method, path, body]);
      return answers[path] ?? null;
    });
    const report = await api.report('f/1', 'shd_1');
    expect(report.counts.mirrored).toBe(3);
    expect(report.shadow).toMatchObject({ sample: 1, ignore: [], until: null, stoppedAt: null });
    expect(report.fields[0]?.examples[0]?.businessKeys).toEqual({ order: 'SO-1' });
    expect(report.differences[0]).toMatchObject({
      onlyInA: 0,
      onlyInB: 2,
      differences: [{ field: 'body.warehouse', a: 'X', b: null }],
    });
    expect(report.cutover?.criterion.minRuns).toBe(5);

    const flow = { id: 'f/1', version: '1.1.0' } as FlowDocument;
    expect((await api.start('f/1', flow, { sample: 0.5, ignore: [] })).sample).toBe(0.5);
    expect(calls.at(-1)).toEqual([
      'POST',
      '/api/flows/f%2F1/shadows',
      { version: '1.1.0', flow, sample: 0.5 },
    ]);
    expect((await api.stop('f/1', 'shd_2')).status).toBe('stopped');
    expect(calls.at(-1)?.[0]).toBe('DELETE');
  });

  it('refuses a partial answer instead of filling it in, naming the fields', async () => {
    const api = createShadowsApi(async () => ({ id: 'shd_2', status: 'running' }));
    await expect(api.stop('f', 'shd_2')).rejects.toThrow(
      /DELETE \/api\/flows\/f\/shadows\/shd_2 does not match the API contract: \$\.flowId: The field "flowId" is required/,
    );
  });

  it('routes to a flow and a shadow and back', () => {
    for (const route of [
      { page: 'shadows', flowId: null, shadowId: null },
      { page: 'shadows', flowId: 'f/1', shadowId: null },
      { page: 'shadows', flowId: 'f/1', shadowId: 'shd_1' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
