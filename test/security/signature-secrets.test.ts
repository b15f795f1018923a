import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppUnderTest, hookFlow, KEYS, signedHeaders, startApp } from './harness';

describe('issue 11.8: a webhook is signed only with a secret the environment declares', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({ name: 'sig-secrets', env: { HOME: '/home/crossdock' } });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('refuses a flow naming a process variable (HOME) as its signature secret', async () => {
    const put = await app.call('PUT', '/api/flows/home-signed', {
      key: KEYS.admin,
      body: hookFlow('home-signed', 'partner/home', { secret: 'HOME' }),
    });
    expect(put.status).toBe(400);
    const details = put.body.error?.details as { diagnostics: { code: string }[] } | undefined;
    expect(details?.diagnostics.map((d) => d.code)).toContain('webhook.undeclared-secret');
    expect(await app.runtime.activations.hook('partner/home')).toBeUndefined();
  });

  it('a route already stored with an undeclared secret accepts no delivery, even signed with its value', async () => {
    // As an older runtime would have stored it: signed with HOME, whose value an attacker can guess.
    await app.runtime.redis.hset(
      app.runtime.keys.hooks,
      'partner/legacy',
      JSON.stringify({
        flowId: 'legacy',
        nodeId: 'hook',
        contentType: 'json',
        signatureSecret: 'HOME',
      }),
    );
    // Written behind the runtime's back, as if before it started: its flow cache must not hide it.
    app.runtime.flows.invalidate();
    const raw = '{"order":"H-1"}';
    const forged = await app.call('POST', '/hooks/partner/legacy', {
      raw,
      headers: signedHeaders(raw, Math.floor(Date.now() / 1000), '/home/crossdock'),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error?.code).toBe('invalid-signature');
  });
});
