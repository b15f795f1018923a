import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Environment, loadEnvironment } from '@crossdock/nodes';
import { UsageError, userCwd } from './files';

/** The folder that holds flows, samples and environments. */
export function flowsDir(): string {
  return path.resolve(userCwd(), process.env.CROSSDOCK_FLOWS_DIR ?? 'flows');
}

/** Loads an environment by name (`flows/environments/<name>.json`) or by file path. */
export async function readEnvironment(nameOrPath: string): Promise<Environment> {
  const file = nameOrPath.endsWith('.json')
    ? path.resolve(userCwd(), nameOrPath)
    : path.join(flowsDir(), 'environments', `${nameOrPath}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`Unknown environment "${nameOrPath}": ${file} does not exist.`);
  }
  const loaded = loadEnvironment(text);
  if (!loaded.environment) {
    const first = loaded.diagnostics[0];
    throw new UsageError(
      `The environment file ${file} is invalid${first ? ` at ${first.path}: ${first.message}` : ''}.`,
    );
  }
  return loaded.environment;
}
