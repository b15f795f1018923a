import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './router';
import { createTowerApi } from './tower-api';

describe('the control tower client', () => {
  it('parses the summary and object answers, and sends the acknowledgement', async () => {
    const calls: [string, string, unknown][] = [];
    const answers: Record<string, unknown> = {
      '/api/processes/o2c/summary': {
        process: 'o2c',
        name: 'Order to cash',
        businessKey: 'order',
        indicators: [],
        objects: 3,
        at: '2026-12-01T08:00:00.000Z',
        stages: [
          {
            stage: 'released',
            name: 'Released',
            system: 'ERP',
            count: 3,
            aging: [{ bucket: '<1h', count: 3 }],
          },
        ],
        breaches: [{ owner: 'desk', severity: 'high', objects: 1 }],
        failedChecks: [],
      },
      '/api/processes/o2c/objects/SO%2F1': {
        key: 'SO/1',
        process: 'o2c',
        stage: 'released',
        stageSince: '2026-12-01T08:00:00.000Z',
        firstAt: '2026-12-01T08:00:00.000Z',
        updatedAt: '2026-12-01T08:00:00.000Z',
        openBreaches: [],
        timeline: [
          {
            id: 'r:0:released',
            milestone: 'released',
            name: 'Released',
            system: 'ERP',
            occurredAt: '2026-12-01T08:00:00.000Z',
            recordedAt: '2026-12-01T08:00:00.000Z',
            run: '/api/runs/r',
            flowId: 'f',
            runId: 'r',
            stepIndex: 0,
            nodeId: 't',
            attributes: { lines: 2 },
          },
        ],
        open: [
          {
            expectation: 'x',
            name: 'X',
            owner: 'desk',
            severity: 'high',
            expect: 'shipped',
            since: '2026-12-01T08:00:00.000Z',
            deadline: '2026-12-01T09:00:00.000Z',
            timeLeftMs: 5,
          },
        ],
        breaches: [
          {
            id: 'x:1',
            expectation: 'x',
            name: 'X',
            owner: 'desk',
            severity: 'high',
            since: '2026-12-01T08:00:00.000Z',
            breachedAt: '2026-12-01T09:00:00.000Z',
            status: 'open',
            deadline: '2026-12-01T09:00:00.000Z',
            escalation: { runId: 'esc' },
          },
        ],
        failedChecks: [],
      },
    };
    const tower = createTowerApi(async (method, path, body) => {
      calls.push([method, path, body]);
      return answers[path] ?? { objects: [], nextCursor: null };
    });
    const summary = await tower.summary('o2c');
    expect(summary.stages[0]).toEqual({
      stage: 'released',
      name: 'Released',
      system: 'ERP',
      count: 3,
      aging: [{ bucket: '<1h', count: 3 }],
    });
    const object = await tower.object('o2c', 'SO/1');
    expect(object.timeline[0]).toMatchObject({
      runId: 'r',
      stepIndex: 0,
      attributes: { lines: 2 },
    });
    expect(object.breaches[0]).toMatchObject({ escalationRunId: 'esc', ack: null });
    expect(object.open[0]?.timeLeftMs).toBe(5);
    await tower.objects('o2c', { owner: 'desk', stage: '' });
    await tower.acknowledge('o2c', 'SO/1', 'x:1', 'on it');
    expect(calls.slice(2)).toEqual([
      ['GET', '/api/processes/o2c/objects?limit=100&owner=desk', undefined],
      ['POST', '/api/processes/o2c/objects/SO%2F1/breaches/x%3A1/ack', { comment: 'on it' }],
    ]);
  });

  it('routes the control tower by process and business key, both ways', () => {
    for (const route of [
      { page: 'tower', processId: null, key: null },
      { page: 'tower', processId: 'o2c', key: null },
      { page: 'tower', processId: 'o2c', key: 'SO/1 x' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
