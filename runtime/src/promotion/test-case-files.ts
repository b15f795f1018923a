import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatJson } from '@crossdock/nodes';
import { parseTestCase, type TestCase } from './test-case';

/** `flows/tests/<flow id>/`: the saved test cases of one flow. */
export function testCaseDir(flowsDir: string, flowId: string): string {
  return path.join(flowsDir, 'tests', flowId);
}

/** Writes a test case in canonical JSON; refuses to replace one unless told. */
export async function writeTestCase(
  flowsDir: string,
  testCase: TestCase,
  overwrite = false,
): Promise<{ file: string; created: boolean }> {
  const dir = testCaseDir(flowsDir, testCase.flowId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${testCase.name}.json`);
  try {
    await writeFile(file, formatJson(testCase), { encoding: 'utf8', flag: overwrite ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { file, created: false };
    throw error;
  }
  return { file, created: true };
}

/** Every test case of a flow, by file name; none when the folder does not exist. */
export async function readTestCases(flowsDir: string, flowId: string): Promise<TestCase[]> {
  const dir = testCaseDir(flowsDir, flowId);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: TestCase[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read the test case ${file}: ${(error as Error).message}`);
    }
    out.push(parseTestCase(parsed, file));
  }
  return out;
}
