import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppUnderTest,
  HOOK_SECRET_NAME,
  hookFlow,
  KEYS,
  signedHeaders,
  startApp,
} from './harness';

const key = { var: 'order' };

describe('issue 11.3 (part): an idempotency key on an unsigned hook is flagged', () => {
  let app: AppUnderTest;

  beforeAll(async () => {
    app = await startApp({ name: 'unsigned-idem' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('saving such a flow answers the warning that explains the pre-poisoning', async () => {
    const saved = await app.call('PUT', '/api/flow-files/orders-in', {
      key: KEYS.analyst,
      body: { flow: hookFlow('orders-in', 'erp/orders', { idempotencyKey: key }) },
    });
    expect(saved.status).toBeLessThan(300);
    const diagnostics = saved.body.diagnostics as { code: string; message: string }[];
    const warning = diagnostics.find((d) => d.code === 'webhook.unsigned-idempotency');
    expect(warning?.message).toContain('signatureSecret');
  });

  it('the attack it warns about: an unsigned hook lets anyone claim a future key; a signed one does not', async () => {
    await app.call('PUT', '/api/flows/orders-in', {
      key: KEYS.admin,
      body: hookFlow('orders-in', 'erp/orders', { idempotencyKey: key }),
    });
    const poison = await app.call('POST', '/hooks/erp/orders', { body: { order: 'SO-9001' } });
    expect(poison.status).toBe(202);
    const honest = await app.call('POST', '/hooks/erp/orders', {
      body: { order: 'SO-9001', lines: 3 },
    });
    expect(honest.body.duplicate).toBe(true);

    await app.call('PUT', '/api/flows/orders-signed', {
      key: KEYS.admin,
      body: hookFlow('orders-signed', 'erp/orders-signed', {
        idempotencyKey: key,
        secret: HOOK_SECRET_NAME,
      }),
    });
    const forged = await app.call('POST', '/hooks/erp/orders-signed', {
      body: { order: 'SO-9002' },
    });
    expect(forged.status).toBe(401);
    const raw = '{"order":"SO-9002","lines":3}';
    const real = await app.call('POST', '/hooks/erp/orders-signed', {
      raw,
      headers: signedHeaders(raw),
    });
    expect(real.status).toBe(202);
    expect(real.body.duplicate).toBeUndefined();
  });
});
