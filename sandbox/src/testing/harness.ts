import { type Sandbox, type SandboxSecrets, startSandbox } from '../sandbox';
import { type Receiver, startReceiver } from './receiver';

export const testSecrets: SandboxSecrets = {
  ERP_API_KEY: 'erp-test-key',
  WMS_TOKEN: 'wms-test-token',
  TMS_USER: 'sandbox-tms-user',
  TMS_PASSWORD: 'tms-test-password',
};

/** Auth headers each system expects with `testSecrets`. */
export const authHeaders = {
  erp: { 'x-api-key': testSecrets.ERP_API_KEY },
  wms: { authorization: `Bearer ${testSecrets.WMS_TOKEN}` },
  tms: {
    authorization: `Basic ${Buffer.from(`${testSecrets.TMS_USER}:${testSecrets.TMS_PASSWORD}`).toString('base64')}`,
  },
  carrier: {},
} as const;

export interface Harness {
  sandbox: Sandbox;
  receiver: Receiver;
  /** Calls a system with its auth; returns status, headers and parsed body. */
  call(
    system: keyof typeof authHeaders,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
  stop(): Promise<void>;
}

/** A sandbox on free ports whose events go to a local receiver, with fast webhook retries. */
export async function startHarness(): Promise<Harness> {
  const receiver = await startReceiver();
  const sandbox = await startSandbox({
    secrets: testSecrets,
    webhookBaseUrl: receiver.url,
    webhooks: { backoffMs: 10, maxAttempts: 4 },
  });
  return {
    sandbox,
    receiver,
    async call(system, method, path, body, headers = {}) {
      const response = await fetch(`${sandbox.urls[system]}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...authHeaders[system],
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
    },
    async stop() {
      await sandbox.stop();
      await receiver.close();
    },
  };
}
