import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppUnderTest,
  HOOK_SECRET_NAME,
  hookFlow,
  KEYS,
  signedHeaders,
  startApp,
} from './harness';

describe('issue 11.4: a webhook path belongs to one flow', () => {
  let dev: AppUnderTest;
  let prod: AppUnderTest;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([
      startApp({ name: 'takeover-dev' }),
      startApp({ name: 'takeover-prod', envName: 'prod' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([dev?.stop(), prod?.stop()]);
  });

  it('refuses another flow on a signed path (409 naming the owner); signed deliveries still reach the owner', async () => {
    const owner = hookFlow('partner-orders', 'partner/orders', { secret: HOOK_SECRET_NAME });
    const put = await dev.call('PUT', '/api/flows/partner-orders', {
      key: KEYS.admin,
      body: owner,
    });
    expect(put.status).toBe(201);

    // The attack: an analyst deploys their own unsigned flow on the same path.
    const thief = hookFlow('sneaky', 'partner/orders');
    const taken = await dev.call('PUT', '/api/flows/sneaky', { key: KEYS.analyst, body: thief });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.code).toBe('hook-path-taken');
    expect(taken.body.error?.message).toContain('partner-orders');
    expect(taken.body.error?.details).toEqual({ path: 'partner/orders', owner: 'partner-orders' });
    // Nothing of the refused flow was kept.
    expect((await dev.call('GET', '/api/flows/sneaky/versions', { key: KEYS.viewer })).status).toBe(
      404,
    );

    // An unsigned delivery still gets nowhere, a signed one reaches the owner.
    expect((await dev.call('POST', '/hooks/partner/orders', { body: { order: 'X' } })).status).toBe(
      401,
    );
    const raw = '{"order":"SO-1"}';
    const ok = await dev.call('POST', '/hooks/partner/orders', {
      raw,
      headers: signedHeaders(raw),
    });
    expect(ok.status).toBe(202);
    const run = await dev.call('GET', `/api/runs/${String(ok.body.runId)}`, { key: KEYS.viewer });
    expect(run.body.flowId).toBe('partner-orders');
  });

  it('keeps the path with its flow even after the flow moved off it (rollback stays safe)', async () => {
    await dev.call('PUT', '/api/flows/mover', {
      key: KEYS.admin,
      body: hookFlow('mover', 'erp/moving'),
    });
    await dev.call('PUT', '/api/flows/mover', {
      key: KEYS.admin,
      body: hookFlow('mover', 'erp/moved', { version: '1.1.0' }),
    });
    const taken = await dev.call('PUT', '/api/flows/other', {
      key: KEYS.admin,
      body: hookFlow('other', 'erp/moving'),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error?.message).toContain('"mover"');
  });

  it('two flows racing for one path: exactly one gets it', async () => {
    const answers = await Promise.all(
      ['race-a', 'race-b', 'race-c', 'race-d'].map((id) =>
        dev.call('PUT', `/api/flows/${id}`, {
          key: KEYS.admin,
          body: hookFlow(id, 'race/path'),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('outside development, a version without signatureSecret is refused for a signed path', async () => {
    const signed = await prod.call('POST', '/api/promotions', {
      key: KEYS.admin,
      body: { flow: hookFlow('carrier-pod', 'carrier/pod', { secret: HOOK_SECRET_NAME }) },
    });
    expect(signed.status).toBe(201);
    const unsigned = await prod.call('POST', '/api/promotions', {
      key: KEYS.admin,
      body: { flow: hookFlow('carrier-pod', 'carrier/pod', { version: '1.1.0' }) },
    });
    expect(unsigned.status).toBe(409);
    expect(unsigned.body.error?.code).toBe('hook-signature-required');
    const versions = await prod.call('GET', '/api/flows/carrier-pod/versions', {
      key: KEYS.viewer,
    });
    expect((versions.body.versions as { version: string }[]).map((v) => v.version)).toEqual([
      '1.0.0',
    ]);
    expect(await prod.runtime.activations.hook('carrier/pod')).toMatchObject({
      signatureSecret: HOOK_SECRET_NAME,
    });
    // Another flow cannot take it by promotion either.
    const thief = await prod.call('POST', '/api/promotions', {
      key: KEYS.admin,
      body: { flow: hookFlow('thief', 'carrier/pod') },
    });
    expect(thief.status).toBe(409);
    expect(thief.body.error?.code).toBe('hook-path-taken');
  });

  it('in development, the owner may drop its signature (to test locally)', async () => {
    await dev.call('PUT', '/api/flows/dev-signed', {
      key: KEYS.admin,
      body: hookFlow('dev-signed', 'dev/signed', { secret: HOOK_SECRET_NAME }),
    });
    const unsigned = await dev.call('PUT', '/api/flows/dev-signed', {
      key: KEYS.admin,
      body: hookFlow('dev-signed', 'dev/signed', { version: '1.1.0' }),
    });
    expect(unsigned.status).toBe(201);
  });

  it('a refused variant of an existing version changes nothing about the path', async () => {
    const when = new Date();
    await prod.runtime.flows.deploy(hookFlow('variant', 'variant/hook'), 'test', when);
    const signedVariant = hookFlow('variant', 'variant/hook', { secret: HOOK_SECRET_NAME });
    expect((await prod.runtime.flows.deploy(signedVariant, 'test', when)).status).toBe('conflict');
    const next = hookFlow('variant', 'variant/hook', { version: '1.1.0' });
    expect((await prod.runtime.flows.deploy(next, 'test', when)).status).toBe('created');
  });

  it('a rollback to an unsigned version of a signed path is refused outside development', async () => {
    // Written straight to the store, as an old runtime would have: unsigned 1.0.0, signed 2.0.0.
    const when = new Date();
    await prod.runtime.flows.deploy(hookFlow('legacy', 'legacy/hook'), 'test', when);
    await prod.runtime.flows.deploy(
      hookFlow('legacy', 'legacy/hook', { secret: HOOK_SECRET_NAME, version: '2.0.0' }),
      'test',
      when,
    );
    const rollback = await prod.call('POST', '/api/flows/legacy/rollback', {
      key: KEYS.admin,
      body: { version: '1.0.0' },
    });
    expect(rollback.status).toBe(409);
    expect(rollback.body.error?.code).toBe('hook-signature-required');
    expect(await prod.runtime.activations.hook('legacy/hook')).toMatchObject({
      signatureSecret: HOOK_SECRET_NAME,
    });
  });
});
