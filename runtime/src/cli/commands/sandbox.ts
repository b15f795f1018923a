import path from 'node:path';
import { isHttpConnection } from '@crossdock/nodes';
import { type Sandbox, type SandboxSecrets, startSandbox } from '@crossdock/sandbox';
import { readEnvironment } from '../environments';
import { UsageError } from '../files';
import { DEV_SANDBOX_SECRETS } from './dev-secrets';

export { DEV_SANDBOX_SECRETS };

type SystemName = keyof Sandbox['urls'];
const systems: SystemName[] = ['erp', 'wms', 'tms', 'carrier'];

export interface SandboxCommandOptions {
  env?: string;
  webhookBase?: string;
}

/** Secrets from the process environment, with the development defaults for any unset. */
export function sandboxSecrets(env: NodeJS.ProcessEnv = process.env): SandboxSecrets {
  const pick = (name: keyof SandboxSecrets) => env[name] || DEV_SANDBOX_SECRETS[name];
  return {
    ERP_API_KEY: pick('ERP_API_KEY'),
    WMS_TOKEN: pick('WMS_TOKEN'),
    TMS_USER: pick('TMS_USER'),
    TMS_PASSWORD: pick('TMS_PASSWORD'),
  };
}

/**
 * Where the sandbox of an environment keeps its records across restarts:
 * `$CROSSDOCK_DATA_DIR/sandbox-<env>.json` (default `.crossdock/` in the working directory).
 */
export function sandboxStateFile(envName: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CROSSDOCK_DATA_DIR || '.crossdock', `sandbox-${envName}.json`);
}

/** The port of the connection of each system in the environment (0 for a free port). */
async function portsFrom(envName: string): Promise<Record<SystemName, number>> {
  const environment = await readEnvironment(envName);
  const ports = {} as Record<SystemName, number>;
  for (const system of systems) {
    const connection = Object.values(environment.connections)
      .filter(isHttpConnection)
      .find((c) => c.system === system);
    if (!connection) {
      throw new UsageError(
        `The environment "${envName}" has no connection with system "${system}".`,
      );
    }
    ports[system] = Number(new URL(connection.baseUrl).port || 80);
  }
  return ports;
}

/** Starts the sandbox systems on the ports the environment names; resolves once they listen. */
export async function startSandboxFromEnvironment(
  options: SandboxCommandOptions,
): Promise<Sandbox> {
  const webhookBaseUrl =
    options.webhookBase ??
    process.env.CROSSDOCK_WEBHOOK_BASE ??
    `http://127.0.0.1:${process.env.PORT ?? '8080'}/hooks`;
  const envName = options.env ?? 'dev';
  return startSandbox({
    ports: await portsFrom(envName),
    webhookBaseUrl,
    secrets: sandboxSecrets(),
    stateFile: sandboxStateFile(envName),
  });
}

/** `crossdock sandbox`: runs the sandbox until SIGINT/SIGTERM. */
export async function sandboxCommand(options: SandboxCommandOptions): Promise<number> {
  const sandbox = await startSandboxFromEnvironment(options);
  for (const system of systems) {
    process.stdout.write(
      `sandbox ${system.padEnd(7)} ${sandbox.urls[system]}  (control: ${sandbox.urls[system]}/_control)\n`,
    );
  }
  process.stdout.write(
    `Events go to the Crossdock webhooks; records are kept in ${sandbox.stateFile} (\`crossdock reset --dev\` empties it); Ctrl-C stops the sandbox.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.stop();
  return 0;
}
