import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  secretNameSchema,
} from './common';

/** How an HTTP connection authenticates; secrets are referred to by name, never stored here. */
export type HttpAuth =
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

/** An HTTP(S) API. `kind` may be left out: environment files from before kinds stay valid. */
export interface HttpConnection extends ConnectionCommon {
  kind?: 'http';
  baseUrl: string;
  auth?: HttpAuth;
  headers?: Record<string, string>;
}

export const httpKind: ConnectionKindSpec<HttpConnection> = {
  kind: 'http',
  title: 'HTTP(S) API',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['system', 'baseUrl'],
    properties: {
      kind: { const: 'http' },
      ...commonProperties,
      baseUrl: {
        type: 'string',
        pattern: '^https?://',
        description: 'Every request goes below this URL; nothing else is reachable.',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Headers sent with every request (never credentials: see auth).',
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
            properties: { type: { const: 'bearer' }, tokenSecret: secretNameSchema },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'usernameSecret', 'passwordSecret'],
            properties: {
              type: { const: 'basic' },
              usernameSecret: secretNameSchema,
              passwordSecret: secretNameSchema,
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'header', 'keySecret'],
            properties: {
              type: { const: 'api-key' },
              header: { type: 'string', minLength: 1 },
              keySecret: secretNameSchema,
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'tokenUrl', 'clientIdSecret', 'clientSecretSecret'],
            properties: {
              type: { const: 'oauth2-client-credentials' },
              tokenUrl: { type: 'string', pattern: '^https?://' },
              clientIdSecret: secretNameSchema,
              clientSecretSecret: secretNameSchema,
              scope: { type: 'string' },
            },
          },
        ],
      },
    },
  },
  secretNames(connection) {
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
  },
};
