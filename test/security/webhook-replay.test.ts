import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppUnderTest,
  HOOK_SECRET_NAME,
  hookFlow,
  KEYS,
  signedHeaders,
  startApp,
} from './harness';

describe('issue 11.6: a captured signed delivery cannot be replayed', () => {
  let app: AppUnderTest;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    app = await startApp({ name: 'replay', env: { CROSSDOCK_HOOK_SKEW_MS: '30000' } });
    const put = await app.call('PUT', '/api/flows/signed-hook', {
      key: KEYS.admin,
      body: hookFlow('signed-hook', 'partner/events', { secret: HOOK_SECRET_NAME }),
    });
    expect(put.status).toBe(201);
  });

  afterAll(async () => {
    await app?.stop();
  });

  const deliver = (raw: string, headers: Record<string, string>) =>
    app.call('POST', '/hooks/partner/events', { raw, headers });

  it('accepts a signed delivery once and answers its replay 409, starting nothing', async () => {
    const raw = '{"order":"R-1"}';
    const headers = signedHeaders(raw);
    const first = await deliver(raw, headers);
    expect(first.status).toBe(202);
    const before = await app.call('GET', '/api/runs?flow=signed-hook', { key: KEYS.viewer });
    for (let i = 0; i < 3; i++) {
      const replay = await deliver(raw, headers);
      expect(replay.status).toBe(409);
      expect(replay.body.error?.code).toBe('replayed-delivery');
    }
    // `sha256=` prefixed: the same signature, so the same replay.
    const prefixed = await deliver(raw, {
      ...headers,
      'x-crossdock-signature': `sha256=${headers['x-crossdock-signature']}`,
    });
    expect(prefixed.status).toBe(409);
    const after = await app.call('GET', '/api/runs?flow=signed-hook', { key: KEYS.viewer });
    expect((after.body.runs as unknown[]).length).toBe((before.body.runs as unknown[]).length);
  });

  it('concurrent replays of one delivery: exactly one is accepted', async () => {
    const raw = '{"order":"R-2"}';
    const headers = signedHeaders(raw);
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(raw, headers)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('a new delivery of the same body with a new signature is accepted', async () => {
    const raw = '{"order":"R-3"}';
    expect((await deliver(raw, signedHeaders(raw, now() - 2))).status).toBe(202);
    expect((await deliver(raw, signedHeaders(raw, now() - 1))).status).toBe(202);
  });

  it('remembers a signature exactly as long as its timestamp could pass (tolerance + skew)', async () => {
    const raw = '{"order":"R-4"}';
    expect((await deliver(raw, signedHeaders(raw))).status).toBe(202);
    const keys = await app.runtime.redis.keys(`${app.prefix}:cd:hooksig:*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttl = await app.runtime.redis.pttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300_000 + 30_000);
  });

  it('accepts future timestamps only within the skew (30 s)', async () => {
    const raw = '{"order":"R-5"}';
    // Dated 5 minutes ahead: formerly accepted, stretching the replay window to 10 minutes.
    const ahead = await deliver(raw, signedHeaders(raw, now() + 290));
    expect(ahead.status).toBe(401);
    expect(ahead.body.error?.code).toBe('invalid-signature');
    expect((await deliver(raw, signedHeaders(raw, now() + 60))).status).toBe(401);
    expect((await deliver(raw, signedHeaders(raw, now() + 10))).status).toBe(202);
    // Still too old beyond the tolerance.
    expect((await deliver(raw, signedHeaders(raw, now() - 400))).status).toBe(401);
  });

  it('a delivery refused for another reason (bad JSON) leaves its signature usable', async () => {
    const raw = '{"order":';
    const headers = signedHeaders(raw);
    expect((await deliver(raw, headers)).status).toBe(400);
    expect((await deliver(raw, headers)).status).toBe(400);
  });
});
