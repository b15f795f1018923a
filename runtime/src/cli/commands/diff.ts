import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  catalog,
  describeFlowChange,
  diffFlows,
  type FlowDocument,
  loadFlow,
} from '@crossdock/nodes';
import { UsageError, userCwd } from '../files';

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
  options: { json?: boolean },
): Promise<number> {
  const changes = diffFlows(await readFlow(a), await readFlow(b), { catalog });
  if (options.json) process.stdout.write(`${JSON.stringify({ changes }, null, 2)}\n`);
  else if (changes.length === 0) process.stdout.write('No changes.\n');
  else for (const c of changes) process.stdout.write(`- ${describeFlowChange(c)}\n`);
  return 0;
}
