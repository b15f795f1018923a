/** A secret is referred to by its name (an environment variable or a secrets-file entry). */
export const secretNameSchema = { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } as const;

export interface ConnectionRateLimit {
  /** Operations allowed per window (requests, publishes, queries), shared by every worker. */
  max: number;
  windowMs: number;
}

/** What every kind of connection has, whatever it speaks. */
export interface ConnectionCommon {
  /** The role of the system behind it: erp, wms, tms, carrier, edi, http, notify. */
  system: string;
  rateLimit?: ConnectionRateLimit;
  timeoutMs?: number;
  /**
   * Lets the connection reach loopback, private and link-local addresses (the SSRF defence
   * refuses them otherwise). For systems on the local network and the development sandbox.
   */
  allowPrivateNetwork?: boolean;
}

/** A host reached over TCP: the network guard checks `host` after resolution. */
export interface NetworkEndpoint {
  host: string;
  /** The kind's usual port when absent (its TLS port when `tls` is set). */
  port?: number;
}

/**
 * TLS for a non-HTTP kind: present means on. Certificates and keys are PEM text held in secrets;
 * a client certificate (`certSecret` + `keySecret`) authenticates where the server asks for one.
 * Certificate checks cannot be switched off.
 */
export interface TlsSettings {
  caSecret?: string;
  certSecret?: string;
  keySecret?: string;
  passphraseSecret?: string;
  /** The name the server's certificate must carry, when it is not `host`. */
  serverName?: string;
}

/** User name and password, both by secret name. */
export interface UserPasswordAuth {
  type: 'basic';
  usernameSecret: string;
  passwordSecret: string;
}

export interface NoAuth {
  type: 'none';
}

export const noAuthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: { type: { const: 'none' } },
} as const;

export const userPasswordAuthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'usernameSecret', 'passwordSecret'],
  properties: {
    type: { const: 'basic' },
    usernameSecret: secretNameSchema,
    passwordSecret: secretNameSchema,
  },
} as const;

export const rateLimitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['max', 'windowMs'],
  properties: {
    max: { type: 'integer', minimum: 1 },
    windowMs: { type: 'integer', minimum: 1 },
  },
} as const;

export const tlsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'TLS on, with certificate checks; PEM certificates and keys by secret name.',
  properties: {
    caSecret: secretNameSchema,
    certSecret: secretNameSchema,
    keySecret: secretNameSchema,
    passphraseSecret: secretNameSchema,
    serverName: { type: 'string', minLength: 1 },
  },
  dependentRequired: { certSecret: ['keySecret'], keySecret: ['certSecret'] },
} as const;

/** Schema properties every kind shares. */
export const commonProperties = {
  system: {
    type: 'string',
    minLength: 1,
    description: 'The role of the system behind it: erp, wms, tms, carrier, edi, http, notify.',
  },
  timeoutMs: {
    type: 'integer',
    minimum: 1,
    description: 'Milliseconds to connect or to wait for an answer, unless a node says otherwise.',
  },
  allowPrivateNetwork: {
    type: 'boolean',
    description:
      'Reach loopback, private and link-local addresses (refused by default, after DNS resolution).',
  },
  rateLimit: {
    ...rateLimitSchema,
    description: 'At most `max` operations per `windowMs`, shared by every worker process.',
  },
} as const;

/** Schema properties of a kind reached at a host and port. */
export const endpointProperties = {
  host: {
    type: 'string',
    minLength: 1,
    pattern: '^[^\\s/:@]+$|^\\[[0-9a-fA-F:.]+\\]$',
    description: 'Host name or IP address; no scheme, port or credentials.',
  },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
} as const;

/** Secret names a TLS block refers to. */
export function tlsSecretNames(tls: TlsSettings | undefined): string[] {
  if (!tls) return [];
  return [tls.caSecret, tls.certSecret, tls.keySecret, tls.passphraseSecret].filter(
    (s): s is string => typeof s === 'string',
  );
}

/** Secret names of the auths several kinds share. */
export function sharedAuthSecretNames(auth: NoAuth | UserPasswordAuth | undefined): string[] {
  if (!auth || auth.type === 'none') return [];
  return [auth.usernameSecret, auth.passwordSecret];
}

/**
 * One kind of connection in the SDK: its JSON Schema in the environment file and the secrets
 * it needs. The runtime adds an adapter per kind; nodes declare which kinds they accept.
 */
export interface ConnectionKindSpec<C> {
  kind: string;
  title: string;
  /** Port used when the connection gives none (undefined for URL-based kinds). */
  defaultPort?: (connection: C) => number;
  schema: object;
  secretNames(connection: C): string[];
}
