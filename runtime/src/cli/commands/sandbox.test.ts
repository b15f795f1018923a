import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_SANDBOX_SECRETS, sandboxSecrets, startSandboxFromEnvironment } from './sandbox';

let dir: string;
const dataDir = process.env.CROSSDOCK_DATA_DIR;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'crossdock-sandbox-'));
  // The sandbox keeps its records in the data folder: this test's own, not the checkout's.
  process.env.CROSSDOCK_DATA_DIR = dir;
});
afterAll(async () => {
  if (dataDir === undefined) delete process.env.CROSSDOCK_DATA_DIR;
  else process.env.CROSSDOCK_DATA_DIR = dataDir;
  await rm(dir, { recursive: true, force: true });
});

async function envFile(connections: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, 'environments', `e${Object.keys(connections).length}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ name: 'test', connections }));
  return file;
}

const local = (system: string) => ({ system, baseUrl: 'http://127.0.0.1:0' });

describe('crossdock sandbox', () => {
  it('starts the four systems on the ports of the environment, checking the dev secrets', async () => {
    const file = await envFile({
      erp: local('erp'),
      wms: local('wms'),
      tms: local('tms'),
      carrier: local('carrier'),
    });
    const sandbox = await startSandboxFromEnvironment({
      env: file,
      webhookBase: 'http://127.0.0.1:9/hooks',
    });
    try {
      // Named after the environment, not its file's path (what `reset --dev` empties).
      expect(sandbox.stateFile).toBe(path.join(dir, 'sandbox-test.json'));
      const ok = await fetch(`${sandbox.urls.erp}/orders`, {
        headers: { 'x-api-key': DEV_SANDBOX_SECRETS.ERP_API_KEY },
      });
      expect(ok.status).toBe(200);
      expect((await fetch(`${sandbox.urls.wms}/inventory`)).status).toBe(401);
      expect((await fetch(`${sandbox.urls.carrier}/tracking/1Z`)).status).toBe(404);
    } finally {
      await sandbox.stop();
    }
  });

  it('names the system an environment lacks', async () => {
    const file = await envFile({ erp: local('erp') });
    await expect(startSandboxFromEnvironment({ env: file })).rejects.toThrow(
      'no connection with system "wms"',
    );
  });

  it('takes secrets from the process environment over the development defaults', () => {
    expect(sandboxSecrets({ WMS_TOKEN: 'prod-like' })).toEqual({
      ...DEV_SANDBOX_SECRETS,
      WMS_TOKEN: 'prod-like',
    });
  });
});
