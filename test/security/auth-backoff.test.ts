import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppUnderTest, KEYS, startApp } from './harness';

describe('issue 11.8: guessing API keys is throttled per client', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({ name: 'auth-backoff' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('after 10 wrong keys, answers 429 with Retry-After, even to a right key, with growing waits', async () => {
    for (let i = 0; i < 10; i++) {
      const wrong = await app.call('GET', '/api/flows', { key: `guess-${i}-xxxxxxxx` });
      expect(wrong.status).toBe(401);
    }
    // A request without a key guesses nothing and is not counted.
    expect((await app.call('GET', '/api/flows')).status).toBe(401);
    expect((await app.call('GET', '/api/flows', { key: KEYS.viewer })).status).toBe(200);

    // The 11th wrong key starts the backoff.
    expect((await app.call('GET', '/api/flows', { key: 'guess-11-xxxxxxxx' })).status).toBe(401);
    const blocked = await app.call('GET', '/api/flows', { key: 'guess-12-xxxxxxxx' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('too-many-failed-attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A right key does not tell the guesser it was right while the block holds.
    const right = await app.call('GET', '/api/flows', { key: KEYS.admin });
    expect(right.status).toBe(429);

    // Each further failure doubles the block: after the block, one more wrong key waits 2 s.
    await app.runtime.redis.del(...(await app.runtime.redis.keys(`${app.prefix}:cd:auth:block:*`)));
    expect((await app.call('GET', '/api/flows', { key: 'guess-13-xxxxxxxx' })).status).toBe(401);
    const longer = await app.call('GET', '/api/flows', { key: KEYS.admin });
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBe(2);
  });

  it('keeps the counts in Redis with an expiry, keyed by a hash of the client address', async () => {
    const keys = await app.runtime.redis.keys(`${app.prefix}:cd:auth:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/:auth:(fail|block):[0-9a-f]{16}$/);
      expect(await app.runtime.redis.pttl(key)).toBeGreaterThan(0);
    }
  });
});
