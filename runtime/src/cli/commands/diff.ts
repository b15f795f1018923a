import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  catalog,
  describeFlowChange,
  diffFlows,
  type FlowDocument,
  loadFlow,
} from '@crossdock/nodes';
import { Deployment } from '@crossdock/nodes/api';
import { UsageError, userCwd } from '../files';
import { apiErrorMessage, bodyOf, runtimeClient } from '../runtime-client';

export interface DiffCommandOptions {
  json?: boolean;
  /** Runtime for `<flow>@<version>` arguments (default CROSSDOCK_URL / CROSSDOCK_API_KEY). */
  url?: string;
  key?: string;
}

const AT_VERSION = /^([A-Za-z0-9][A-Za-z0-9_.-]*)@([^@/\\]+)$/;

/** `<flow>@<version>` from a runtime's deployed versions. */
async function fetchFlow(
  flowId: string,
  version: string,
  options: DiffCommandOptions,
): Promise<FlowDocument> {
  const url = options.url ?? process.env.CROSSDOCK_URL;
  const key = options.key ?? process.env.CROSSDOCK_API_KEY;
  if (!url || !key) {
    throw new UsageError(
      `${flowId}@${version} is read from a runtime: pass --url and --key (or set CROSSDOCK_URL and CROSSDOCK_API_KEY).`,
    );
  }
  const answer = await runtimeClient(url, key).request(
    'GET',
    `/flows/${encodeURIComponent(flowId)}/versions/${encodeURIComponent(version)}`,
  );
  if (answer.status !== 200) {
    throw new Error(`Cannot read ${flowId}@${version} from ${url}: ${apiErrorMessage(answer)}`);
  }
  return bodyOf(answer, Deployment).flow;
}

async function readFlowArg(arg: string, options: DiffCommandOptions): Promise<FlowDocument> {
  const match = AT_VERSION.exec(arg);
  const isFile = await access(path.resolve(userCwd(), arg)).then(
    () => true,
    () => false,
  );
  if (match?.[1] && match[2] && !isFile) return fetchFlow(match[1], match[2], options);
  return readFlow(arg);
}

async function readFlow(arg: string): Promise<FlowDocument> {
  const file = path.resolve(userCwd(), arg);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`No such flow file: ${arg}`);
  });
  const loaded = loadFlow(text, catalog);
  if (loaded.value === undefined || typeof loaded.value !== 'object') {
    throw new UsageError(
      `${arg} is not a flow file: ${loaded.diagnostics[0]?.message ?? 'unreadable'}`,
    );
  }
  return loaded.value as FlowDocument;
}

/** Prints what changed between two versions of a flow, one analyst-level line per change. */
export async function diffCommand(
  a: string,
  b: string,
  options: DiffCommandOptions,
): Promise<number> {
  const changes = diffFlows(await readFlowArg(a, options), await readFlowArg(b, options), {
    catalog,
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ changes }, null, 2)}\n`);
  else if (changes.length === 0) process.stdout.write('No changes.\n');
  else for (const c of changes) process.stdout.write(`- ${describeFlowChange(c)}\n`);
  return 0;
}
