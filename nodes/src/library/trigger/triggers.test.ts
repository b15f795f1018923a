import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../sdk/schema-check';
import { fakeContext, message } from '../../testing/fake-context';
import { executeManual } from './manual/execute';
import { executeWebhook } from './webhook/execute';
import { webhookTrigger } from './webhook/manifest';

describe('triggers', () => {
  it('emit the payload unchanged', async () => {
    for (const execute of [executeManual, executeWebhook]) {
      expect(await execute(message({ a: 1 }, '$trigger'), fakeContext({}))).toEqual({
        emissions: [{ port: 'out', payload: { a: 1 } }],
      });
    }
  });

  it('webhook config needs a clean path and a secret name, not a secret', () => {
    expect(checkSchema(webhookTrigger.configSchema, { path: 'erp/order-released' })).toEqual([]);
    expect(checkSchema(webhookTrigger.configSchema, { path: '/../x' })[0]?.pointer).toEqual([
      'path',
    ]);
    expect(
      checkSchema(webhookTrigger.configSchema, { path: 'a', signatureSecret: 's3cr3t!' })[0]
        ?.pointer,
    ).toEqual(['signatureSecret']);
  });
});
