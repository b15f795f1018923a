import { describe, expect, it } from 'vitest';
import { catalog } from '../library/manifests';
import type { Environment } from './environment';
import type { FlowDocument } from './flow-types';
import { validateFlow } from './validate';

function hookFlow(config: Record<string, unknown>, settings: FlowDocument['settings'] = {}) {
  return {
    schemaVersion: 1,
    id: 'hooked',
    name: 'Hooked',
    version: '1.0.0',
    settings,
    nodes: [
      {
        id: 'hook',
        type: 'trigger.webhook',
        name: 'Hook',
        position: { x: 0, y: 0 },
        config: { path: 'partner/orders', ...config },
      },
    ],
    edges: [],
  };
}

const environment: Environment = {
  name: 'prod',
  connections: {
    erp: {
      system: 'erp',
      baseUrl: 'https://erp.example.com',
      auth: { type: 'bearer', tokenSecret: 'ERP_TOKEN' },
    },
  },
  secrets: ['PARTNER_HOOK_SECRET'],
};

const codes = (doc: unknown, env?: Environment) =>
  validateFlow(doc, catalog, env ? { environment: env } : {}).map((d) => [d.severity, d.code]);

describe('webhook checks', () => {
  it('warns about an idempotency key on an unsigned webhook, not on a signed one', () => {
    const key = { var: 'orderNumber' };
    expect(codes(hookFlow({}, { idempotencyKey: key }))).toContainEqual([
      'warning',
      'webhook.unsigned-idempotency',
    ]);
    expect(
      codes(hookFlow({ signatureSecret: 'PARTNER_HOOK_SECRET' }, { idempotencyKey: key })),
    ).toEqual([]);
    expect(codes(hookFlow({}))).toEqual([]);
  });

  it('refuses a signature secret the environment does not declare (HOME), accepts declared ones', () => {
    expect(codes(hookFlow({ signatureSecret: 'HOME' }), environment)).toContainEqual([
      'error',
      'webhook.undeclared-secret',
    ]);
    expect(codes(hookFlow({ signatureSecret: 'PARTNER_HOOK_SECRET' }), environment)).toEqual([]);
    // A connection's secret is declared too.
    expect(codes(hookFlow({ signatureSecret: 'ERP_TOKEN' }), environment)).toEqual([]);
    // Without an environment there is nothing to check against.
    expect(codes(hookFlow({ signatureSecret: 'HOME' }))).toEqual([]);
  });
});
