import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flowDoc, node } from '../runtime/helpers';
import { type AppUnderTest, hookFlow, KEYS, startApp } from './harness';

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('issue 11.8: hostile request bodies get a clear 4xx, never a 500', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({ name: 'bodies', env: { CROSSDOCK_BODY_LIMIT: '1mb' } });
    const manual = flowDoc('manual-flow', [node('start', 'trigger.manual')], []);
    expect(
      (await app.call('PUT', '/api/flows/manual-flow', { key: KEYS.admin, body: manual })).status,
    ).toBe(201);
    expect(
      (
        await app.call('PUT', '/api/flows/hooked', {
          key: KEYS.admin,
          body: hookFlow('hooked', 'deep/hook'),
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const runs = async () =>
    (await app.call('GET', '/api/runs', { key: KEYS.viewer })).body.runs as unknown[];

  it('answers a 10,000-deep JSON body 400 with the depth limit, on the API and on hooks', async () => {
    const raw = nested(10_000);
    for (const [method, url, key] of [
      ['POST', '/api/flows/manual-flow/runs', KEYS.analyst],
      ['PUT', '/api/flows/manual-flow', KEYS.admin],
      ['POST', '/api/flows/manual-flow/test-runs', KEYS.analyst],
      ['POST', '/hooks/deep/hook', undefined],
    ] as const) {
      const res = await app.call(method, url, {
        raw,
        headers: { 'content-type': 'application/json' },
        ...(key ? { key } : {}),
      });
      expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'too-deep']);
      expect(res.body.error?.message).toContain('64');
    }
    expect(await runs()).toHaveLength(0);
    // Just inside the limit is fine.
    const ok = await app.call('POST', '/api/flows/manual-flow/runs', {
      key: KEYS.analyst,
      raw: nested(63),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(202);
  });

  it('answers a non-JSON body on POST /api/flows/:id/runs 415 and starts nothing', async () => {
    const before = (await runs()).length;
    for (const [type, raw] of [
      ['text/plain', '{"order":"T-1"}'],
      ['application/x-www-form-urlencoded', 'order=T-1'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\nT-1\r\n--x--'],
      ['application/xml', '<order>T-1</order>'],
    ]) {
      const res = await app.call('POST', '/api/flows/manual-flow/runs', {
        key: KEYS.analyst,
        raw,
        headers: { 'content-type': type as string },
      });
      expect([type, res.status, res.body.error?.code]).toEqual([
        type,
        415,
        'unsupported-media-type',
      ]);
    }
    expect((await runs()).length).toBe(before);
    // No body at all (fetch's bodiless POST sends Content-Length: 0) is still a run with null.
    const bodiless = await app.call('POST', '/api/flows/manual-flow/runs', { key: KEYS.analyst });
    expect(bodiless.status).toBe(202);
    // JSON still starts a run, `application/*+json` too.
    for (const type of ['application/json', 'application/vnd.partner+json; charset=utf-8']) {
      const res = await app.call('POST', '/api/flows/manual-flow/runs', {
        key: KEYS.analyst,
        raw: '{"order":"T-2"}',
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(202);
    }
  });

  it('a flow document nested within the limit still deploys', async () => {
    const flow = flowDoc(
      'deep-rule',
      [
        node('start', 'trigger.manual'),
        node('pick', 'rule.filter', {
          condition: { and: [{ or: [{ '==': [{ var: 'a' }, 1] }, { '!': { var: 'b' } }] }] },
        }),
      ],
      [edge('start', 'pick')],
    );
    expect(
      (await app.call('PUT', '/api/flows/deep-rule', { key: KEYS.admin, body: flow })).status,
    ).toBe(201);
  });
});
