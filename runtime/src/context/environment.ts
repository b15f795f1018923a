import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Environment, loadEnvironment } from '@crossdock/nodes';

/**
 * Loads `flows/environments/<name>.json`. A missing file is an environment without connections
 * (connector nodes then fail with connection-missing); an invalid one is an error at start.
 */
export function readEnvironmentFile(flowsDir: string, name: string): Environment {
  const file = path.join(flowsDir, 'environments', `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { name, connections: {} };
  }
  const loaded = loadEnvironment(text);
  if (!loaded.environment) {
    const first = loaded.diagnostics[0];
    throw new Error(`The environment file ${file} is invalid${first ? `: ${first.message}` : ''}.`);
  }
  return loaded.environment;
}
