import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppUnderTest, KEYS, startApp } from './harness';

describe('issue 11.8: a run id never becomes part of another Redis key', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({ name: 'run-ids' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  const keyCount = async () => (await app.runtime.redis.keys(`${app.prefix}:cd:*`)).length;

  it('answers 400 for ids with ":" and other key characters on every run route', async () => {
    // `run_x:steps` named the steps hash of run_x: a WRONGTYPE error, a 500.
    const before = await keyCount();
    for (const id of ['run_x:steps', 'a:b', '*', 'run_1:state', ' run', 'ru n', '{crossdock}']) {
      const p = `/api/runs/${encodeURIComponent(id)}`;
      for (const [method, url, key, body] of [
        ['GET', p, KEYS.viewer, undefined],
        ['POST', `${p}/replay`, KEYS.operator, {}],
        ['POST', `${p}/discard`, KEYS.operator, { reason: 'x' }],
      ] as const) {
        const res = await app.call(method, url, { key, ...(body ? { body } : {}) });
        expect([id, url, res.status, res.body.error?.code]).toEqual([id, url, 400, 'invalid-id']);
      }
    }
    expect(await keyCount()).toBe(before);
  });

  it('random ids answer 400 or 404, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 140 }), async (id) => {
        // "." and ".." are path segments the client resolves away before sending.
        fc.pre(id !== '.' && id !== '..');
        const res = await app.call('GET', `/api/runs/${encodeURIComponent(id)}`, {
          key: KEYS.viewer,
        });
        expect([400, 404]).toContain(res.status);
      }),
      { numRuns: 150 },
    );
  });
});
