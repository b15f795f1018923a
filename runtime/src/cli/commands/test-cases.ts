import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { catalog } from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { type CaseResult, replayTestCases } from '../../promotion/replay';
import { describeDifference } from '../../promotion/test-case';
import { readTestCases } from '../../promotion/test-case-files';
import { flowsDir as defaultFlowsDir } from '../environments';
import { userCwd } from '../files';
import { flowFilePath, readValidFlow } from '../flow-files';

export interface TestCommandOptions {
  env?: string;
  json?: boolean;
  /** For tests: the flows folder and process environment (default: the CLI's). */
  flowsDir?: string;
  processEnv?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
}

/** The flows that have saved test cases (`flows/tests/<id>/`). */
async function flowsWithTests(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(path.join(dir, 'tests'), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Replays the saved test cases of the given flows (file paths or ids; default: all). */
export async function runFlowTests(
  flows: readonly string[],
  options: TestCommandOptions,
): Promise<CaseResult[]> {
  const dir = options.flowsDir ?? defaultFlowsDir();
  const ids = flows.length > 0 ? flows : await flowsWithTests(dir);
  const cases = [];
  for (const arg of ids) {
    const file = flowFilePath(arg, dir);
    const flow = await readValidFlow(file, catalog);
    for (const testCase of await readTestCases(dir, flow.id)) cases.push({ flow, testCase });
  }
  return replayTestCases(cases, {
    catalog,
    executors,
    env: { ...(options.processEnv ?? process.env), CROSSDOCK_FLOWS_DIR: dir },
    cwd: userCwd(),
    envName: options.env ?? 'dev',
  });
}

/** Prints one line per case and one per difference; true when every case passed. */
export function reportResults(
  results: readonly CaseResult[],
  write: (text: string) => void,
): boolean {
  for (const r of results) {
    write(
      `${r.differences.length === 0 ? 'ok  ' : 'FAIL'} ${r.flowId}/${r.name}${r.differences.length ? ` (${r.differences.length} difference(s))` : ''}\n`,
    );
    for (const d of r.differences) write(`     ${describeDifference(d)}\n`);
  }
  return results.every((r) => r.differences.length === 0);
}

/** `crossdock test [flow…]`: exit 0 when every saved case replays as recorded, else 1. */
export async function testCommand(flows: string[], options: TestCommandOptions): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const results = await runFlowTests(flows, options);
  if (options.json) {
    write(
      `${JSON.stringify(
        results.map(({ flowId, name, differences }) => ({ flowId, name, differences })),
        null,
        2,
      )}\n`,
    );
    return results.every((r) => r.differences.length === 0) ? 0 : 1;
  }
  if (results.length === 0) {
    write('No saved test cases (save one from a run: POST /api/runs/<id>/test-case).\n');
    return 0;
  }
  const passed = reportResults(results, write);
  const failed = results.filter((r) => r.differences.length > 0).length;
  write(`${results.length} case(s), ${failed} failed\n`);
  return passed ? 0 : 1;
}
