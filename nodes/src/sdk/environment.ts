/** How a connection authenticates; secrets are referred to by name, never stored here. */
export type ConnectionAuth =
  | { type: 'none' }
  | { type: 'bearer'; tokenSecret: string }
  | { type: 'basic'; usernameSecret: string; passwordSecret: string }
  | { type: 'api-key'; header: string; keySecret: string }
  | {
      type: 'oauth2-client-credentials';
      tokenUrl: string;
      clientIdSecret: string;
      clientSecretSecret: string;
      scope?: string;
    };

export interface ConnectionRateLimit {
  /** Requests allowed per window, shared by every worker. */
  max: number;
  windowMs: number;
}

/**
 * When to stop calling a system that is down: after `failures` consecutive transient failures
 * (across every worker) the breaker opens for `openMs` (5 s); then up to `failures` probe calls
 * go at once, and if they all fail it opens again, for twice as long each round up to
 * `maxOpenMs` when that is higher than `openMs`. While it is open, steps that would call it wait
 * in the queue without using an attempt or a worker slot.
 */
export interface ConnectionCircuitBreaker {
  /** `false` turns the breaker off for this connection. */
  enabled?: boolean;
  failures?: number;
  openMs?: number;
  maxOpenMs?: number;
}

export interface Connection {
  /** The role of the system behind it: erp, wms, tms, carrier, edi, http, notify. */
  system: string;
  baseUrl: string;
  auth?: ConnectionAuth;
  rateLimit?: ConnectionRateLimit;
  /**
   * Calls in flight to this connection at once, across every worker: a system that hangs holds
   * at most this many worker slots; steps over the limit wait in the queue.
   */
  maxConcurrency?: number;
  circuitBreaker?: ConnectionCircuitBreaker;
  timeoutMs?: number;
  headers?: Record<string, string>;
  /**
   * Lets the connection reach loopback, private and link-local addresses (the SSRF defence
   * refuses them otherwise). For systems on the local network and the development sandbox.
   */
  allowPrivateNetwork?: boolean;
}

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

/** Names of the secrets a connection needs, so a missing one can be named before a deploy. */
export function secretNames(connection: Connection): string[] {
  const auth = connection.auth;
  if (!auth) return [];
  switch (auth.type) {
    case 'none':
      return [];
    case 'bearer':
      return [auth.tokenSecret];
    case 'basic':
      return [auth.usernameSecret, auth.passwordSecret];
    case 'api-key':
      return [auth.keySecret];
    case 'oauth2-client-credentials':
      return [auth.clientIdSecret, auth.clientSecretSecret];
  }
}

const secretName = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } as const;

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
    secrets: { type: 'array', items: secretName, uniqueItems: true },
    settings: { type: 'object' },
    connections: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['system', 'baseUrl'],
        properties: {
          system: { type: 'string', minLength: 1 },
          baseUrl: { type: 'string', pattern: '^https?://' },
          timeoutMs: { type: 'integer', minimum: 1 },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          allowPrivateNetwork: {
            type: 'boolean',
            description:
              'Reach loopback, private and link-local addresses (refused by default, after DNS resolution).',
          },
          rateLimit: {
            type: 'object',
            additionalProperties: false,
            required: ['max', 'windowMs'],
            properties: {
              max: { type: 'integer', minimum: 1 },
              windowMs: { type: 'integer', minimum: 1 },
            },
          },
          maxConcurrency: {
            type: 'integer',
            minimum: 1,
            description:
              'Calls in flight at once across every worker; a hanging system holds at most this many worker slots.',
          },
          circuitBreaker: {
            type: 'object',
            additionalProperties: false,
            description:
              'Consecutive transient failures that open the breaker, and how long it stays open.',
            properties: {
              enabled: { type: 'boolean' },
              failures: { type: 'integer', minimum: 1 },
              openMs: { type: 'integer', minimum: 100 },
              maxOpenMs: { type: 'integer', minimum: 100 },
            },
          },
          auth: {
            oneOf: [
              {
                type: 'object',
                additionalProperties: false,
                required: ['type'],
                properties: { type: { const: 'none' } },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['type', 'tokenSecret'],
                properties: { type: { const: 'bearer' }, tokenSecret: secretName },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['type', 'usernameSecret', 'passwordSecret'],
                properties: {
                  type: { const: 'basic' },
                  usernameSecret: secretName,
                  passwordSecret: secretName,
                },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['type', 'header', 'keySecret'],
                properties: {
                  type: { const: 'api-key' },
                  header: { type: 'string', minLength: 1 },
                  keySecret: secretName,
                },
              },
              {
                type: 'object',
                additionalProperties: false,
                required: ['type', 'tokenUrl', 'clientIdSecret', 'clientSecretSecret'],
                properties: {
                  type: { const: 'oauth2-client-credentials' },
                  tokenUrl: { type: 'string', pattern: '^https?://' },
                  clientIdSecret: secretName,
                  clientSecretSecret: secretName,
                  scope: { type: 'string' },
                },
              },
            ],
          },
        },
      },
    },
  },
} as const;
