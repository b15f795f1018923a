import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type Connection,
  connectionEndpoint,
  type Environment,
  type FlowDocument,
  loadFlow,
} from '@crossdock/nodes';
import type { PartnerStatus, Sandbox } from '@crossdock/sandbox';
import { HookPathError } from '../../activation/webhook-routes';
import type { Runtime } from '../../runtime';
import type { DeployResult } from '../../store/flow-store';
import { checkDeployableProcess } from '../../tower/process-validation';
import { readProcessFiles } from '../../tower/tower';
import { DEV_PARTNER_SECRETS, DEV_SANDBOX_SECRETS } from './dev-secrets';

/** Gives the connection secrets the development values the sandbox checks, where unset. */
export function applyDevSecrets(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries({ ...DEV_SANDBOX_SECRETS, ...DEV_PARTNER_SECRETS })) {
    if (!env[name]) env[name] = value;
  }
}

/** What each sandbox partner service is, for the one message that says it is missing. */
const partnerServices: Record<
  PartnerStatus['name'],
  { kind: Connection['kind']; system: string; title: string; problem: string }
> = {
  stagingDb: {
    kind: 'postgres',
    system: 'erp',
    title: 'PostgreSQL',
    problem: 'not reachable',
  },
  sftpDrop: {
    kind: 'sftp',
    system: 'carrier',
    title: 'the carrier SFTP drop',
    problem: 'not started',
  },
  wmsEvents: { kind: 'amqp', system: 'wms', title: 'RabbitMQ', problem: 'not reachable' },
};

/**
 * The connections whose sandbox service did not start, each with the sentence that says why:
 * `PostgreSQL at postgres://127.0.0.1:5432/crossdock_erp not reachable (connect ECONNREFUSED)`.
 */
export function unavailableConnections(
  environment: Environment,
  partners: readonly PartnerStatus[],
): Map<string, string> {
  const unavailable = new Map<string, string>();
  for (const status of partners) {
    if (status.ok) continue;
    const service = partnerServices[status.name];
    for (const [name, connection] of Object.entries(environment.connections)) {
      if (connection.kind !== service.kind || connection.system !== service.system) continue;
      const detail = status.problem ? ` (${status.problem})` : '';
      unavailable.set(
        name,
        `${service.title} at ${connectionEndpoint(connection)} ${service.problem}${detail}`,
      );
    }
  }
  return unavailable;
}

/** The connections a flow's nodes name. */
function connectionsOf(flow: FlowDocument): string[] {
  return flow.nodes
    .map((n) => n.config.connection)
    .filter((c): c is string => typeof c === 'string');
}

/**
 * Deploys every valid flow file that is not deployed yet; returns the ids it deployed. A flow
 * naming an `unavailable` connection is neither deployed nor scheduled (one warning says why),
 * so a development machine without PostgreSQL or RabbitMQ gets no failed run every few minutes.
 */
export async function deployFlowFiles(
  runtime: Runtime,
  unavailable: ReadonlyMap<string, string> = new Map(),
): Promise<string[]> {
  const dir = runtime.config.flowsDir;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.flow.json')).sort();
  const deployed: string[] = [];
  for (const file of files) {
    const loaded = loadFlow(await readFile(path.join(dir, file), 'utf8'), runtime.catalog, {
      environment: runtime.environment,
    });
    if (!loaded.flow || loaded.diagnostics.some((d) => d.severity === 'error')) {
      runtime.log.warn({ file }, 'flow file not deployed: it does not validate');
      continue;
    }
    const missing = connectionsOf(loaded.flow).find((c) => unavailable.has(c));
    if (missing) {
      const flowId = loaded.flow.id;
      runtime.log.warn(`${flowId}: ${unavailable.get(missing)}; flow not scheduled`);
      // A version deployed by an earlier start stays deployed, but its triggers stop here.
      await runtime.schedules.unfollow(flowId);
      await runtime.sftpPolls.unfollow(flowId);
      continue;
    }
    let result: DeployResult;
    try {
      result = await runtime.flows.deploy(loaded.flow, 'pnpm start', new Date(runtime.now()));
    } catch (error) {
      if (!(error instanceof HookPathError)) throw error;
      runtime.log.warn({ file, err: error.message }, 'flow file not deployed: its webhook path');
      continue;
    }
    if (result.status === 'created') deployed.push(loaded.flow.id);
    if (result.status === 'conflict') {
      runtime.log.warn(
        { file, version: loaded.flow.version },
        'flow file changed without a version bump; the deployed version stays',
      );
    }
  }
  return deployed;
}

/**
 * Deploys every process file (`flows/processes/*.process.json`) that is not deployed yet,
 * validated against the flows now deployed; call it after `deployFlowFiles`. Returns the ids it
 * deployed. A file with errors is logged with its diagnostics and left out.
 */
export async function deployProcessFiles(runtime: Runtime): Promise<string[]> {
  const deployed: string[] = [];
  for (const file of readProcessFiles(runtime.config.flowsDir)) {
    const checked = file.process
      ? await checkDeployableProcess(runtime, file.process, file.process.id)
      : file;
    if (!checked.process) {
      runtime.log.warn(
        {
          file: file.file,
          diagnostics: checked.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => `${d.pointer.join('.')}: ${d.message}`),
        },
        'process file not deployed: it does not validate',
      );
      continue;
    }
    const result = await runtime.tower.processes.deploy(
      checked.process,
      'pnpm start',
      new Date(runtime.now()),
    );
    if (result.status === 'created') deployed.push(checked.process.id);
    if (result.status === 'conflict') {
      runtime.log.warn(
        { file: file.file, version: checked.process.version },
        'process file changed without a version bump; the deployed version stays',
      );
    }
  }
  return deployed;
}

/** The bootstrap path: flow files, then the process files that observe them. */
export async function deployFiles(
  runtime: Runtime,
  unavailable: ReadonlyMap<string, string> = new Map(),
): Promise<{ flows: string[]; processes: string[] }> {
  const flows = await deployFlowFiles(runtime, unavailable);
  return { flows, processes: await deployProcessFiles(runtime) };
}

/**
 * `pnpm start` in development: deploys the sample flows and processes and starts the sandbox ERP, WMS, TMS and
 * carrier on the environment's ports, sending their events to this runtime. A sandbox already
 * running on those ports (`crossdock sandbox`) is left to do the job.
 */
export async function startDevLandscape(
  runtime: Runtime,
  port: number,
): Promise<Sandbox | undefined> {
  let sandbox: Sandbox | undefined;
  try {
    // The sandbox is a development tool: loaded only when a development runtime starts it.
    const { startSandboxFromEnvironment } = await import('./sandbox');
    sandbox = await startSandboxFromEnvironment({
      env: path.join(runtime.config.flowsDir, 'environments', `${runtime.config.envName}.json`),
      webhookBase: `http://127.0.0.1:${port}/hooks`,
    });
  } catch (error) {
    runtime.log.warn(
      { err: error },
      'sandbox not started (are its ports taken? `pnpm crossdock sandbox` runs it on its own)',
    );
  }
  // Without our sandbox (another one runs), its services are not ours to judge: deploy all.
  const unavailable = sandbox
    ? unavailableConnections(runtime.environment, sandbox.partners.status)
    : new Map<string, string>();
  const deployed = await deployFiles(runtime, unavailable);
  runtime.log.info(
    deployed,
    `deployed ${deployed.flows.length} flow file(s) and ${deployed.processes.length} process file(s)`,
  );
  if (sandbox) {
    const services = Object.fromEntries(
      sandbox.partners.status.map((s) => [s.name, s.ok ? s.where : `${s.where}: unavailable`]),
    );
    runtime.log.info(
      { urls: sandbox.urls, services, stateFile: sandbox.stateFile },
      'sandbox ERP, WMS, TMS and carrier started (their records survive a restart; `crossdock reset --dev` empties them)',
    );
  }
  return sandbox;
}
