import path from 'node:path';
import {
  type Connection,
  connectionPort,
  type Environment,
  isHttpConnection,
} from '@crossdock/nodes';
import {
  type PartnerOptions,
  type Sandbox,
  type SandboxSecrets,
  startSandbox,
} from '@crossdock/sandbox';
import { readEnvironment } from '../environments';
import { UsageError } from '../files';
import { DEV_PARTNER_SECRETS, DEV_SANDBOX_SECRETS } from './dev-secrets';

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

/** A secret from the process environment, else its development default. */
function devSecret(name: string, env: NodeJS.ProcessEnv): string {
  return env[name] || (DEV_PARTNER_SECRETS as Record<string, string>)[name] || '';
}

/** The first connection of a kind and system, narrowed to that kind. */
function find<K extends Exclude<Connection['kind'], undefined | 'http'>>(
  environment: Environment,
  kind: K,
  system: string,
): Extract<Connection, { kind: K }> | undefined {
  return Object.values(environment.connections).find(
    (c): c is Extract<Connection, { kind: K }> => c.kind === kind && c.system === system,
  );
}

/** The carrier's own folder convention: where it drops X12 214 files on its SFTP server. */
export const CARRIER_214_FOLDER = '/outbound/214';

/**
 * The services beyond HTTP the environment's sample connections point at: the ERP's staging
 * database (postgres, system erp), the carrier's SFTP drop (sftp, system carrier) and the WMS's
 * event broker (amqp, system wms). A connection that is absent leaves its service out.
 */
export function partnersFrom(
  environment: Environment,
  envName: string,
  env: NodeJS.ProcessEnv = process.env,
): PartnerOptions {
  const partners: PartnerOptions = {};
  const secret = (name: string) => devSecret(name, env);
  const db = find(environment, 'postgres', 'erp');
  if (db?.auth?.type === 'basic') {
    partners.stagingDb = {
      host: db.host,
      port: connectionPort(db),
      database: db.database,
      user: secret(db.auth.usernameSecret),
      password: secret(db.auth.passwordSecret),
    };
  }
  const sftp = find(environment, 'sftp', 'carrier');
  if (sftp?.auth.type === 'basic') {
    partners.sftpDrop = {
      root: path.resolve(env.CROSSDOCK_DATA_DIR || '.crossdock', `carrier-sftp-${envName}`),
      host: sftp.host,
      port: connectionPort(sftp),
      username: secret(sftp.auth.usernameSecret),
      password: secret(sftp.auth.passwordSecret),
      outboundFolder: CARRIER_214_FOLDER,
    };
  }
  const broker = find(environment, 'amqp', 'wms');
  if (broker) {
    const login =
      broker.auth?.type === 'basic'
        ? `${encodeURIComponent(secret(broker.auth.usernameSecret))}:${encodeURIComponent(secret(broker.auth.passwordSecret))}@`
        : '';
    partners.wmsEvents = {
      url: `amqp://${login}${broker.host}:${connectionPort(broker)}/${encodeURIComponent(broker.vhost ?? '/')}`,
      exchange: 'wms.events',
    };
  }
  return partners;
}

/** The port of the connection of each system in the environment (0 for a free port). */
function portsFrom(environment: Environment, envName: string): Record<SystemName, number> {
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
  const environment = await readEnvironment(envName);
  return startSandbox({
    ports: portsFrom(environment, envName),
    partners: partnersFrom(environment, environment.name ?? envName),
    webhookBaseUrl,
    secrets: sandboxSecrets(),
    // By the environment's name (`dev`), also when `env` is its file's path as `pnpm start`
    // gives it: `crossdock reset --dev` empties `sandbox-dev.json`.
    stateFile: sandboxStateFile(environment.name),
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
