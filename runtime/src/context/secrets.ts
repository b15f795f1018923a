import { readFileSync } from 'node:fs';
import { type Environment, isJsonObject, secretNames } from '@crossdock/nodes';
import type { Redactor } from '../infra/redaction';

/** Resolves secrets by name: the process environment first, then the secrets file. */
export interface Secrets {
  get(name: string): string | undefined;
}

/**
 * Reads the secrets file (a JSON object of name -> string; never committed) once, and teaches
 * the redactor every secret value it hands out or knows of, so none reaches a trace or a log.
 */
export function createSecrets(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  environment: Environment,
): Secrets {
  const fromFile = new Map<string, string>();
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read the secrets file ${file}: ${(error as Error).message}`);
    }
    if (!isJsonObject(parsed)) throw new Error(`The secrets file ${file} must hold a JSON object.`);
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === 'string') {
        fromFile.set(name, value);
        redactor.addSecret(value);
      }
    }
  }
  const get = (name: string): string | undefined => {
    const value = env[name] ?? fromFile.get(name);
    redactor.addSecret(value);
    return value;
  };
  for (const connection of Object.values(environment.connections)) {
    for (const name of secretNames(connection)) get(name);
  }
  return { get };
}
