import type { FlowDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';
import { createShadowsApi } from './shadows-api';

describe('the shadows client', () => {
  it('parses the report, fills what is missing, and sends start and stop', async () => {
    const calls: [string, string, unknown][] = [];
    const answers: Record<string, unknown> = {
      '/api/flows/f%2F1/shadows/shd_1': {
        shadow: {
          id: 'shd_1',
          flowId: 'f/1',
          version: '1.1.0',
          activeVersion: '1.0.0',
          status: 'running',
        },
        counts: { mirrored: 3, compared: 2, identical: 1, differing: 1 },
        timeline: [{ at: '2026-12-04T12:00Z', counts: { identical: 1, differing: 1 } }],
        fields: [
          {
            field: 'body.warehouse',
            count: 1,
            examples: [
              {
                businessKeys: { order: 'SO-1', n: 4 },
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
          { outcome: 'differing', businessKeys: {}, aRunId: 'a', bRunId: 'b', onlyInB: [{}, {}] },
        ],
        cutover: {
          met: false,
          criterion: { minRuns: 5 },
          checks: [{ name: 'runs', met: false, detail: '2 of 5' }],
        },
      },
      '/api/flows/f%2F1/shadows': { id: 'shd_2', status: 'running', sample: 0.5 },
      '/api/flows/f%2F1/shadows/shd_2': { id: 'shd_2', status: 'stopped' },
    };
    const api = createShadowsApi(async (method, path, body) => {
      calls.push([method, path, body]);
      return answers[path] ?? null;
    });
    const report = await api.report('f/1', 'shd_1');
    expect(report.counts).toEqual({
      mirrored: 3,
      compared: 2,
      identical: 1,
      differing: 1,
      onlyInA: 0,
      onlyInB: 0,
    });
    expect(report.shadow).toMatchObject({ sample: 1, ignore: [], until: null, stoppedAt: null });
    expect(report.fields[0]?.examples[0]?.businessKeys).toEqual({ order: 'SO-1' });
    expect(report.differences[0]).toMatchObject({
      onlyInA: 0,
      onlyInB: 2,
      differences: [],
      aStatus: '',
    });
    expect(report.cutover).toEqual({
      met: false,
      criterion: { minRuns: 5, minIdenticalPercent: 0, fields: [], requireForPromotion: false },
      checks: [{ name: 'runs', met: false, detail: '2 of 5' }],
    });

    const flow = { id: 'f/1', version: '1.1.0' } as FlowDocument;
    expect((await api.start('f/1', flow, { sample: 0.5, ignore: [] })).sample).toBe(0.5);
    expect(calls.at(-1)).toEqual([
      'POST',
      '/api/flows/f%2F1/shadows',
      { version: '1.1.0', flow, sample: 0.5 },
    ]);
    expect((await api.stop('f/1', 'shd_2')).status).toBe('stopped');
    expect(calls.at(-1)?.[0]).toBe('DELETE');
    expect(await api.list('f/1')).toEqual([]);
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
