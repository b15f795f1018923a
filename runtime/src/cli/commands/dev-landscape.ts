import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadFlow } from '@crossdock/nodes';
import type { Sandbox } from '@crossdock/sandbox';
import { HookPathError } from '../../activation/webhook-routes';
import type { Runtime } from '../../runtime';
import type { DeployResult } from '../../store/flow-store';
import { DEV_SANDBOX_SECRETS } from './dev-secrets';

/** Gives the connection secrets the development values the sandbox checks, where unset. */
export function applyDevSecrets(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(DEV_SANDBOX_SECRETS)) {
    if (!env[name]) env[name] = value;
  }
}

/** Deploys every valid flow file that is not deployed yet; returns the ids it deployed. */
export async function deployFlowFiles(runtime: Runtime): Promise<string[]> {
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
 * `pnpm start` in development: deploys the sample flows and starts the sandbox ERP, WMS, TMS and
 * carrier on the environment's ports, sending their events to this runtime. A sandbox already
 * running on those ports (`crossdock sandbox`) is left to do the job.
 */
export async function startDevLandscape(
  runtime: Runtime,
  port: number,
): Promise<Sandbox | undefined> {
  const deployed = await deployFlowFiles(runtime);
  runtime.log.info({ flows: deployed }, `deployed ${deployed.length} flow file(s)`);
  try {
    // The sandbox is a development tool: loaded only when a development runtime starts it.
    const { startSandboxFromEnvironment } = await import('./sandbox');
    const sandbox = await startSandboxFromEnvironment({
      env: path.join(runtime.config.flowsDir, 'environments', `${runtime.config.envName}.json`),
      webhookBase: `http://127.0.0.1:${port}/hooks`,
    });
    runtime.log.info(
      { urls: sandbox.urls, stateFile: sandbox.stateFile },
      'sandbox ERP, WMS, TMS and carrier started (their records survive a restart; `crossdock reset --dev` empties them)',
    );
    return sandbox;
  } catch (error) {
    runtime.log.warn(
      { err: error },
      'sandbox not started (are its ports taken? `pnpm crossdock sandbox` runs it on its own)',
    );
    return undefined;
  }
}
