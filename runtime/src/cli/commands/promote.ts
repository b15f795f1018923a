import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  catalog,
  describeFlowChange,
  diffFlows,
  type Environment,
  isJsonObject,
} from '@crossdock/nodes';
import { EnvironmentInfo, PromoteOutcome, Promotion } from '@crossdock/nodes/api';
import { createSecrets } from '../../context/secrets';
import { Redactor } from '../../infra/redaction';
import { checkEnvironment } from '../../promotion/environment-check';
import { flowsDir as defaultFlowsDir, readEnvironment } from '../environments';
import { PROCESS_SUFFIX, UsageError, userCwd } from '../files';
import { flowFilePath, readValidFlow } from '../flow-files';
import { apiErrorMessage, bodyOf, type RuntimeClient, runtimeClient } from '../runtime-client';
import { promoteProcessFile } from './promote-process';
import { reportResults, runFlowTests } from './test-cases';

export interface PromoteCommandOptions {
  to: string;
  from?: string;
  dryRun?: boolean;
  approve?: string;
  url?: string;
  key?: string;
  commit?: string;
  /** For tests: the flows folder and process environment (default: the CLI's). */
  flowsDir?: string;
  processEnv?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
}

interface RuntimeSettings {
  url?: string;
  adminKeySecret?: string;
}

function runtimeSettings(environment: Environment): RuntimeSettings {
  const runtime = environment.settings?.runtime;
  if (!isJsonObject(runtime)) return {};
  return {
    ...(typeof runtime.url === 'string' ? { url: runtime.url } : {}),
    ...(typeof runtime.adminKeySecret === 'string'
      ? { adminKeySecret: runtime.adminKeySecret }
      : {}),
  };
}

/** The target runtime: `--url`/`--key`, else `settings.runtime` of the environment + its secret. */
export function targetClient(
  environment: Environment,
  options: { url?: string; key?: string },
  env: NodeJS.ProcessEnv,
): RuntimeClient {
  const settings = runtimeSettings(environment);
  const url = options.url ?? settings.url;
  if (!url) {
    throw new UsageError(
      `The "${environment.name}" environment names no runtime: set settings.runtime.url or pass --url.`,
    );
  }
  let key = options.key;
  if (key === undefined && settings.adminKeySecret) {
    const secrets = createSecrets(env.CROSSDOCK_SECRETS_FILE, env, new Redactor([]), {
      name: environment.name,
      connections: {},
    });
    key = secrets.get(settings.adminKeySecret);
    if (!key) {
      throw new UsageError(
        `The admin key of "${environment.name}" is the secret ${settings.adminKeySecret}, which is not set here.`,
      );
    }
  }
  if (!key) throw new UsageError(`No admin key for "${environment.name}": pass --key.`);
  return runtimeClient(url, key);
}

function gitCommit(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * The runtime behind `--url` must run the target environment: promoting "to prod" into the test
 * runtime would publish a version that prod never sees. Returns why not, or undefined.
 */
async function environmentMismatch(client: RuntimeClient, to: string): Promise<string | undefined> {
  const answer = await client.request('GET', '/environment');
  if (answer.status !== 200) return undefined; // the promotion request reports what is wrong
  const { name } = bodyOf(answer, EnvironmentInfo);
  if (name === to) return undefined;
  return `the runtime at ${client.url} runs the environment "${name}", not "${to}". Pass the --url of the "${to}" runtime (or leave --url out to use settings.runtime.url of flows/environments/${to}.json).`;
}

/**
 * `crossdock promote <flow> --to <env>`: validates the file against the target's bindings,
 * replays the flow's saved test cases, asks the target to check its secrets and versions (dry
 * run), prints the semantic diff against what the target runs, then publishes. Exit 0 when
 * published (or pending approval, or unchanged), 1 when refused.
 */
export async function promoteCommand(
  flowArg: string | undefined,
  options: PromoteCommandOptions,
): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const env = options.processEnv ?? process.env;
  const dir = options.flowsDir ?? defaultFlowsDir();
  const environment = await readEnvironment(path.join(dir, 'environments', `${options.to}.json`));
  const client = targetClient(environment, options, env);
  const mismatch = await environmentMismatch(client, options.to);
  if (mismatch) {
    write(`refused: ${mismatch}\n`);
    return 1;
  }

  if (options.approve !== undefined) {
    const answer = await client.request(
      'POST',
      `/promotions/${encodeURIComponent(options.approve)}/approve`,
    );
    if (answer.status !== 200) {
      write(`refused: ${apiErrorMessage(answer)}\n`);
      return 1;
    }
    const p = bodyOf(answer, Promotion);
    write(`${p.flowId ?? p.processId}@${p.version} ${p.status} in ${options.to}\n`);
    return 0;
  }
  if (flowArg === undefined) throw new UsageError('Name the flow to promote (or --approve <id>).');
  if (flowArg.endsWith(PROCESS_SUFFIX)) {
    const commit = options.commit ?? gitCommit(dir);
    return promoteProcessFile(path.resolve(userCwd(), flowArg), environment, client, {
      to: options.to,
      from: options.from ?? env.CROSSDOCK_ENV ?? 'dev',
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(commit ? { commit } : {}),
      write,
    });
  }

  const flow = await readValidFlow(flowFilePath(flowArg, dir), catalog, environment);
  const problems = checkEnvironment(flow, catalog, environment);
  if (problems.length > 0) {
    for (const p of problems) write(`refused: ${p.message}\n`);
    return 1;
  }

  const commit = options.commit ?? gitCommit(dir);
  const request = {
    flow,
    from: options.from ?? env.CROSSDOCK_ENV ?? 'dev',
    ...(commit ? { commit } : {}),
  };
  const check = await client.request('POST', '/promotions', { ...request, dryRun: true });
  if (check.status !== 200) {
    write(`refused: ${apiErrorMessage(check)}\n`);
    return 1;
  }
  const results = await runFlowTests([flowFilePath(flowArg, dir)], {
    env: options.to,
    flowsDir: dir,
    processEnv: env,
  });
  if (!reportResults(results, write)) {
    write(`refused: a saved test case of ${flow.id} no longer passes.\n`);
    return 1;
  }

  const outcome = bodyOf(check, PromoteOutcome);
  const current = outcome.current && 'flow' in outcome.current ? outcome.current.flow : undefined;
  write(
    current
      ? `${options.to} runs ${flow.id}@${current.version}; ${flow.version} changes:\n`
      : `${flow.id} is new in ${options.to}.\n`,
  );
  if (current) {
    const changes = diffFlows(current, flow, { catalog });
    if (changes.length === 0) write('  (no changes)\n');
    for (const c of changes) write(`  - ${describeFlowChange(c)}\n`);
  }
  if (outcome.status === 'unchanged') {
    write(`${flow.id}@${flow.version} is already deployed in ${options.to}.\n`);
    return 0;
  }
  const gate = outcome.cutover;
  if (gate) {
    write(
      `cutover criterion of ${options.to}: ${gate.met ? 'met' : 'not met'}${gate.shadowId ? ` (shadow ${gate.shadowId})` : ' (no shadow of this version)'}${gate.required ? '' : ', not required'}\n`,
    );
    for (const c of gate.checks) write(`  ${c.met ? 'ok ' : 'NO '} ${c.detail}\n`);
    if (gate.required && !gate.met) {
      write(
        `refused: ${options.to} promotes ${flow.id} only once a shadow of ${flow.version} meets the cutover criterion (crossdock shadow start ${flow.id} --env ${options.to}).\n`,
      );
      return 1;
    }
  }
  if (options.dryRun) {
    write(`dry run: ${flow.id}@${flow.version} can be promoted to ${options.to}.\n`);
    return 0;
  }
  const answer = await client.request('POST', '/promotions', request);
  if (answer.status !== 201 && answer.status !== 202) {
    write(`refused: ${apiErrorMessage(answer)}\n`);
    return 1;
  }
  const id = bodyOf(answer, PromoteOutcome).promotion?.id ?? '?';
  if (answer.status === 202) {
    write(
      `pending: promotion ${id} of ${flow.id}@${flow.version} to ${options.to} waits for another admin: crossdock promote --to ${options.to} --approve ${id}\n`,
    );
  } else {
    write(`published: ${flow.id}@${flow.version} in ${options.to} (promotion ${id})\n`);
  }
  return 0;
}
