import { type Connection, connectionSchema, secretNames } from './connections';
import { secretNameSchema } from './connections/common';

export type { Connection } from './connections';

/** How an HTTP connection authenticates (kept under its first name). */
export type ConnectionAuth = import('./connections').HttpAuth;

/** `flows/environments/<name>.json`: what an environment binds the flows' connection names to. */
export interface Environment {
  $schema?: string;
  name: string;
  description?: string;
  connections: Record<string, Connection>;
  /**
   * Names of further secrets flows may refer to (a webhook's `signatureSecret`); connection
   * secrets are declared by their connection. Nothing else in the process environment is a secret.
   */
  secrets?: string[];
  settings?: Record<string, unknown>;
}

/** Every secret name the environment declares: its connections' and its `secrets` list. */
export function declaredSecrets(environment: Environment): Set<string> {
  const names = new Set<string>(
    Array.isArray(environment.secrets)
      ? environment.secrets.filter((s) => typeof s === 'string')
      : [],
  );
  for (const connection of Object.values(environment.connections)) {
    for (const name of secretNames(connection)) names.add(name);
  }
  return names;
}

/** JSON Schema of an environment file. */
export const environmentSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://crossdock.dev/schemas/environment.schema.json',
  title: 'Crossdock environment',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'connections'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    description: { type: 'string' },
    secrets: { type: 'array', items: secretNameSchema, uniqueItems: true },
    settings: { type: 'object' },
    connections: { type: 'object', additionalProperties: connectionSchema },
  },
} as const;
