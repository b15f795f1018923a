import { readFileSync } from 'node:fs';
import { type Environment, isJsonObject, secretNames } from '@crossdock/nodes';
import { ConfigError } from '../infra/config';
import { MIN_SECRET_LENGTH, type Redactor } from '../infra/redaction';

/** Resolves secrets by name: the process environment first, then the secrets file. */
export interface Secrets {
  get(name: string): string | undefined;
}

export interface SecretPolicy {
  /** Development: a short secret is warned about (and not redacted by value) instead of refused. */
  development: boolean;
  warn(message: string): void;
}

/**
 * Names that hold identities rather than secrets (a basic-auth user, an OAuth client id): their
 * values are ordinary words that would be blanked everywhere (a TMS user named "crossdock" took
 * the service name out of every log line). What they protect is redacted through the values
 * derived with the password (the basic-auth header), which the HTTP client registers.
 */
function identityNames(environment: Environment): Set<string> {
  const names = new Set<string>();
  for (const connection of Object.values(environment.connections)) {
    const auth = connection.auth;
    if (auth?.type === 'basic') names.add(auth.usernameSecret);
    if (auth?.type === 'oauth2-client-credentials') names.add(auth.clientIdSecret);
  }
  return names;
}

/**
 * Reads the secrets file (a JSON object of name -> string; never committed) once, and teaches
 * the redactor every secret value it hands out or knows of, so none reaches a trace or a log.
 * A secret the environment declares that is shorter than `MIN_SECRET_LENGTH` is refused outside
 * development (redacting it would blank unrelated words), and warned about in development.
 */
export function createSecrets(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  environment: Environment,
  policy: SecretPolicy = { development: true, warn: () => {} },
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
      if (typeof value === 'string') fromFile.set(name, value);
    }
  }
  const identities = identityNames(environment);
  const short = new Set<string>();
  const teach = (name: string, value: string | undefined): void => {
    if (value === undefined || identities.has(name) || short.has(name)) return;
    redactor.addSecret(value);
  };
  for (const [name, value] of fromFile) teach(name, value);
  const get = (name: string): string | undefined => {
    const value = env[name] ?? fromFile.get(name);
    teach(name, value);
    return value;
  };
  for (const connection of Object.values(environment.connections)) {
    for (const name of secretNames(connection)) {
      const value = env[name] ?? fromFile.get(name);
      if (value === undefined || value === '' || identities.has(name)) continue;
      if (value.length < MIN_SECRET_LENGTH) {
        const problem = `The secret ${name} has ${value.length} characters; secrets under ${MIN_SECRET_LENGTH} characters are guessable and cannot be redacted without blanking ordinary words in logs and traces.`;
        if (!policy.development) throw new ConfigError(`${problem} Use a longer one.`);
        policy.warn(`${problem} Development only: it is not redacted by value.`);
        short.add(name);
      }
      get(name);
    }
  }
  return { get };
}
