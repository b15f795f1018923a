import { type Sandbox, type SandboxOptions, type SandboxSecrets, startSandbox } from '../sandbox';

/** Credentials the test sandbox accepts; a test's environment hands the same to the runtime. */
export const TEST_SANDBOX_SECRETS: SandboxSecrets = {
  ERP_API_KEY: 'test-erp-key',
  WMS_TOKEN: 'test-wms-token',
  TMS_USER: 'test-tms-user',
  TMS_PASSWORD: 'test-tms-password',
};

/** Port 9 (discard): events go nowhere until `setWebhookBaseUrl` points them at a runtime. */
export const NOWHERE_HOOKS = 'http://127.0.0.1:9/hooks';

/**
 * The sandbox ERP, WMS, TMS and carrier on free ports, set up the way tests want them
 * (`@crossdock/sandbox/testing`): test credentials, events sent nowhere until a runtime listens,
 * one delivery attempt. Any option given replaces its default.
 */
export function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    secrets: TEST_SANDBOX_SECRETS,
    webhookBaseUrl: NOWHERE_HOOKS,
    webhooks: { maxAttempts: 1 },
    ...options,
  });
}
