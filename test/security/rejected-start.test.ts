import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForRun } from '../runtime/helpers';
import {
  type AppUnderTest,
  HOOK_SECRET_NAME,
  hookFlow,
  KEYS,
  signedHeaders,
  startApp,
} from './harness';

/**
 * Issue 11.3: a start that fails after the idempotency key was reserved left the key pointing at
 * a run that was never written, so every honest retry for 7 days was answered "duplicate".
 */
describe('issue 11.3: a rejected start never poisons its idempotency key', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    // The HTTP depth guard would refuse this body first (request-bodies.test.ts); lifted here so
    // the payload reaches intake, which must record all or nothing on its own.
    app = await startApp({
      name: 'rejected-start',
      worker: true,
      env: { CROSSDOCK_MAX_JSON_DEPTH: '100000' },
    });
    const deployed = await app.call('PUT', '/api/flows/orders-in', {
      key: KEYS.admin,
      body: hookFlow('orders-in', 'erp/orders', {
        idempotencyKey: { var: 'order' },
        secret: HOOK_SECRET_NAME,
      }),
    });
    expect(deployed.status).toBeLessThan(300);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('a payload that cannot be recorded is 400, writes nothing, and the honest retry runs once', async () => {
    // 6,000 levels parse, but overflow JSON.stringify when the run would be written.
    const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
    const poison = `{"order":"SO-6000","deep":${deep}}`;
    const refused = await app.call('POST', '/hooks/erp/orders', {
      raw: poison,
      headers: signedHeaders(poison),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('invalid-input');
    expect(refused.body.error?.message).toMatch(/nested too deeply.*nothing was started/);
    const { runtime } = app;
    expect(
      await runtime.redis.exists(runtime.keys.partition(0).dedupe('orders-in', 'SO-6000')),
    ).toBe(0);
    expect(await runtime.redis.zcard(runtime.keys.partition(0).all)).toBe(0);

    const honest = '{"order":"SO-6000"}';
    const first = await app.call('POST', '/hooks/erp/orders', {
      raw: honest,
      headers: signedHeaders(honest),
    });
    expect(first.status).toBe(202);
    const runId = String(first.body.runId);
    expect((await waitForRun(runtime, runId)).status).toBe('succeeded');
    const again = await app.call('POST', '/hooks/erp/orders', {
      raw: honest,
      // A new delivery of the same order: a new timestamp, so a new signature.
      headers: signedHeaders(honest, Math.floor(Date.now() / 1000) + 1),
    });
    expect(again.body).toEqual({ runId, duplicate: true });
  });
});
