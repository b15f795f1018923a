import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, node, waitForRun } from '../runtime/helpers';
import { type AppUnderTest, KEYS, startApp } from './harness';

describe('issue 11.8: test-run versions expire', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({
      name: 'test-versions',
      worker: true,
      env: { CROSSDOCK_RETENTION_DAYS: '1' },
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('each test run version lives in a key that expires with the run retention, not in the flow forever', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const flow = flowDoc(
        'tried',
        [
          node('start', 'trigger.manual'),
          node('map', 'mapping.map', { fields: [{ target: 'n', expression: i }] }),
        ],
        [edge('start', 'map')],
      );
      const res = await app.call('POST', '/api/flows/tried/test-runs', {
        key: KEYS.analyst,
        body: { flow, payload: { i } },
      });
      expect(res.status).toBe(202);
      ids.push(String(res.body.runId));
    }
    for (const id of ids) expect((await waitForRun(app.runtime, id)).status).toBe('succeeded');
    const r = app.runtime.redis;
    // Nothing under the flow's permanent versions hash.
    expect(await r.hlen(app.runtime.keys.flowVersions('tried'))).toBe(0);
    const keys = await r.keys(`${app.prefix}:cd:flow:tried:test:*`);
    expect(keys).toHaveLength(5);
    for (const key of keys) {
      const ttl = await r.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    }
    // The run still reads its pinned version while it lives.
    const run = await app.call('GET', `/api/runs/${ids[0]}`, { key: KEYS.viewer });
    expect(run.body).toMatchObject({ status: 'succeeded', test: true });
  });
});
