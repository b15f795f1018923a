import path from 'node:path';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  node,
  testRuntime,
  uniquePrefix,
  until,
  waitForRun,
} from './helpers';

const prefix = uniquePrefix('schedules');
let runtime: Runtime;

beforeAll(() => {
  runtime = testRuntime({ prefix, flowsDir: path.resolve('flows') });
  runtime.startWorker(2);
});

afterAll(async () => {
  await runtime.close();
  await cleanRedis(prefix);
});

async function runsOf(flowId: string) {
  return (await runtime.runs.list({ flow: flowId, limit: 50 })).runs;
}

describe('schedule triggers', () => {
  it('start runs on their cron once deployed, and stop when a version without one is active', async () => {
    const scheduled = flowDoc(
      'every-second',
      [
        node('tick', 'trigger.schedule', {
          cron: '* * * * * *',
          timeZone: 'Europe/Berlin',
          payload: { warehouse: 'DEHAM1' },
        }),
        node('map', 'mapping.map', {
          fields: [
            { target: 'site', expression: { var: 'warehouse' } },
            { target: 'at', expression: { var: 'firedAt' } },
          ],
        }),
      ],
      [edge('tick', 'map')],
    );
    await runtime.flows.deploy(scheduled, 'test', new Date());
    expect(await runtime.schedules.queue.getJobSchedulersCount()).toBe(1);

    const first = await until(
      async () => (await runsOf('every-second')).find((r) => r.status === 'succeeded'),
      'a scheduled run that succeeded',
      { everyMs: 50 },
    );
    const run = await waitForRun(runtime, first.id);
    const mapped = run.steps.find((s) => s.nodeId === 'map');
    expect(mapped?.output).toEqual([
      {
        port: 'out',
        payload: {
          site: 'DEHAM1',
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        },
      },
    ]);

    const manual = {
      ...scheduled,
      version: '1.1.0',
      nodes: [
        node('tick', 'trigger.manual'),
        scheduled.nodes[1] as (typeof scheduled.nodes)[number],
      ],
    };
    await runtime.flows.deploy(manual, 'test', new Date());
    expect(await runtime.schedules.queue.getJobSchedulersCount()).toBe(0);
  });
});
