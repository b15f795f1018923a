import path from 'node:path';
import { catalog } from '@crossdock/nodes';
import { Shadow, ShadowList, ShadowReport } from '@crossdock/nodes/api';
import { flowsDir as defaultFlowsDir, readEnvironment } from '../environments';
import { UsageError } from '../files';
import { flowFilePath, readValidFlow } from '../flow-files';
import { apiErrorMessage, bodyOf } from '../runtime-client';
import { targetClient } from './promote';

export interface ShadowCommandOptions {
  /** The environment whose runtime runs the shadow (default $CROSSDOCK_ENV or dev). */
  env?: string;
  url?: string;
  key?: string;
  sample?: string;
  until?: string;
  /** `shadowNodeId=activeNodeId` pairs. */
  map?: string[];
  ignore?: string[];
  json?: boolean;
  flowsDir?: string;
  processEnv?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
}

function mapping(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const [b, a, ...rest] = pair.split('=');
    if (!b || !a || rest.length > 0) {
      throw new UsageError(`--map takes shadowNodeId=activeNodeId, not "${pair}".`);
    }
    out[b] = a;
  }
  return out;
}

function printReport(report: ShadowReport, write: (t: string) => void): void {
  const { shadow, counts } = report;
  write(
    `shadow ${shadow.id}: ${shadow.flowId}@${shadow.version} beside ${shadow.activeVersion}, ${shadow.status}, sample ${shadow.sample}\n`,
  );
  write(
    `  ${counts.compared} compared of ${counts.mirrored} mirrored: ${counts.identical} identical, ${counts.differing} differing, ${counts.onlyInA} only in ${shadow.activeVersion}, ${counts.onlyInB} only in ${shadow.version}\n`,
  );
  for (const f of report.fields.slice(0, 10)) {
    write(`  ${f.field}: differs in ${f.count} runs\n`);
    for (const e of f.examples.slice(0, 2) as {
      businessKeys?: object;
      a?: unknown;
      b?: unknown;
    }[]) {
      write(
        `    ${JSON.stringify(e.businessKeys ?? {})}: ${JSON.stringify(e.a)} -> ${JSON.stringify(e.b)}\n`,
      );
    }
  }
  if (report.cutover) {
    write(`  cutover criterion: ${report.cutover.met ? 'met' : 'not met'}\n`);
    for (const c of report.cutover.checks) write(`    ${c.met ? 'ok ' : 'NO '} ${c.detail}\n`);
  }
}

/**
 * `crossdock shadow start|status|stop <flow> [shadowId]`: dual-runs a flow file's version beside
 * the version active in an environment's runtime, shows the report, stops it. Exit 0 when done,
 * 1 when the runtime refused.
 */
export async function shadowCommand(
  action: string,
  flowArg: string,
  shadowId: string | undefined,
  options: ShadowCommandOptions,
): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const env = options.processEnv ?? process.env;
  const dir = options.flowsDir ?? defaultFlowsDir();
  const envName = options.env ?? env.CROSSDOCK_ENV ?? 'dev';
  const environment = await readEnvironment(path.join(dir, 'environments', `${envName}.json`));
  const client = targetClient(environment, options, env);
  if (action === 'start') {
    const flow = await readValidFlow(flowFilePath(flowArg, dir), catalog, environment);
    const sample = options.sample !== undefined ? Number(options.sample) : undefined;
    if (sample !== undefined && Number.isNaN(sample))
      throw new UsageError('--sample is a number from 0 to 1.');
    const answer = await client.request('POST', `/flows/${encodeURIComponent(flow.id)}/shadows`, {
      version: flow.version,
      flow,
      ...(sample !== undefined ? { sample } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.map && options.map.length > 0 ? { mapping: mapping(options.map) } : {}),
      ...(options.ignore && options.ignore.length > 0 ? { ignore: options.ignore } : {}),
    });
    if (answer.status !== 201) {
      write(`refused: ${apiErrorMessage(answer)}\n`);
      return 1;
    }
    const shadow = bodyOf(answer, Shadow);
    write(
      `shadow ${shadow.id} started in ${envName}: every run of ${shadow.flowId}@${shadow.activeVersion} is repeated through ${shadow.version} without side effects.\n  report: crossdock shadow status ${shadow.flowId} ${shadow.id} --env ${envName}\n`,
    );
    return 0;
  }
  const flowId = flowArg
    .replace(/\.flow\.json$/, '')
    .split('/')
    .pop() as string;
  const base = `/flows/${encodeURIComponent(flowId)}/shadows`;
  if (action === 'status' && shadowId === undefined) {
    const answer = await client.request('GET', base);
    if (answer.status !== 200) {
      write(`refused: ${apiErrorMessage(answer)}\n`);
      return 1;
    }
    const { shadows } = bodyOf(answer, ShadowList);
    if (options.json) write(`${JSON.stringify(shadows, null, 2)}\n`);
    else if (shadows.length === 0) write(`${flowId} has no shadows in ${envName}.\n`);
    for (const s of options.json ? [] : shadows) {
      write(`${s.id}  ${s.version} beside ${s.activeVersion}  ${s.status}  since ${s.startedAt}\n`);
    }
    return 0;
  }
  if (shadowId === undefined) throw new UsageError(`Name the shadow to ${action}.`);
  const url = `${base}/${encodeURIComponent(shadowId)}`;
  if (action === 'status') {
    const answer = await client.request('GET', url);
    if (answer.status !== 200) {
      write(`refused: ${apiErrorMessage(answer)}\n`);
      return 1;
    }
    if (options.json) write(`${JSON.stringify(answer.body, null, 2)}\n`);
    else printReport(bodyOf(answer, ShadowReport), write);
    return 0;
  }
  if (action === 'stop') {
    const answer = await client.request('DELETE', url);
    if (answer.status !== 200) {
      write(`refused: ${apiErrorMessage(answer)}\n`);
      return 1;
    }
    write(`shadow ${shadowId} stopped; its report stays.\n`);
    return 0;
  }
  throw new UsageError(`Unknown action "${action}": use start, status or stop.`);
}
