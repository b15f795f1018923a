import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { catalog, hasErrors, type JsonValue, loadFlow } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import type { RunWithSteps } from '../../engine/run-types';
import { loadConfig } from '../../infra/config';
import { removeMatching } from '../../infra/redis-scan';
import { createRuntime } from '../../runtime';
import { keyPatterns } from '../../store/keys';
import { displayPath, FLOW_SUFFIX, UsageError, userCwd } from '../files';
import { unreachableSystems } from '../reachability';
import { applyDevSecrets } from './dev-landscape';
import { formatDiagnostic } from './validate';

export interface RunCommandOptions {
  input?: string;
  env?: string;
  json?: boolean;
}

function summary(run: RunWithSteps): string {
  const lines = [`run ${run.id}: ${run.status} (${run.flowId}@${run.version})`];
  for (const s of run.steps) {
    const what = s.error
      ? `${s.error.code}: ${s.error.message}`
      : `-> ${s.ports.join(', ') || '(stop)'}`;
    lines.push(
      `  ${s.nodeId} [${s.nodeType}] attempt ${s.attempt} ${s.status} ${s.durationMs} ms ${what}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `crossdock run <flow file> --input <json>`: runs the flow through the real queue under a
 * private prefix, prints the run as `GET /api/runs/:id` returns it, and cleans up.
 */
export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const full = path.resolve(userCwd(), file);
  const envName = options.env ?? 'dev';
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new UsageError(`No such flow file: ${file}`);
  }
  let payload: JsonValue = {};
  if (options.input) {
    try {
      payload = JSON.parse(
        await readFile(path.resolve(userCwd(), options.input), 'utf8'),
      ) as JsonValue;
    } catch (error) {
      throw new UsageError(`Cannot read the input ${options.input}: ${(error as Error).message}`);
    }
  }
  const prefix = `{crossdock-run-${randomUUID().slice(0, 8)}}`;
  const config = loadConfig(
    // One partition: one run needs no more, and every key stays under the private prefix.
    { ...process.env, CROSSDOCK_PREFIX: prefix, CROSSDOCK_PARTITIONS: '1', CROSSDOCK_ENV: envName },
    userCwd(),
  );
  // In development the connection secrets default to the sandbox's values, as in `pnpm start`.
  const env = { ...process.env };
  if (envName === 'dev') applyDevSecrets(env);
  const runtime = createRuntime(config, { catalog, executors, env });
  try {
    const loaded = loadFlow(text, catalog, {
      environment: runtime.environment,
      ...(full.endsWith(FLOW_SUFFIX) ? { expectedId: path.basename(full, FLOW_SUFFIX) } : {}),
    });
    if (!loaded.flow || hasErrors(loaded.diagnostics)) {
      for (const d of loaded.diagnostics)
        process.stderr.write(`${formatDiagnostic(displayPath(full), d)}\n`);
      return 1;
    }
    const unreachable = await unreachableSystems(loaded.flow, runtime.environment);
    if (unreachable.length > 0) {
      for (const problem of unreachable) process.stderr.write(`crossdock: ${problem}\n`);
      process.stderr.write(`crossdock: ${loaded.flow.id} was not run.\n`);
      return 1;
    }
    await runtime.flows.deploy(loaded.flow, 'cli', new Date());
    runtime.startWorker(4);
    const { runId } = await runtime.service.start({ flowId: loaded.flow.id, payload, test: true });
    let run: RunWithSteps | undefined;
    for (;;) {
      run = await runtime.runs.get(runId);
      if (run && (run.status === 'succeeded' || run.status === 'failed')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    process.stdout.write(options.json ? `${JSON.stringify(run, null, 2)}\n` : summary(run));
    return run.status === 'succeeded' ? 0 : 1;
  } finally {
    await runtime.close();
    await removeMatching(config.redisUrl, keyPatterns(prefix));
  }
}
