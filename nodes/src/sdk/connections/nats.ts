import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  endpointProperties,
  type NetworkEndpoint,
  type NoAuth,
  noAuthSchema,
  secretNameSchema,
  sharedAuthSecretNames,
  type TlsSettings,
  tlsSchema,
  tlsSecretNames,
  type UserPasswordAuth,
  userPasswordAuthSchema,
} from './common';

export type NatsAuth =
  | NoAuth
  | UserPasswordAuth
  | { type: 'token'; tokenSecret: string }
  /** An NKey seed (`SU…`). */
  | { type: 'nkey'; seedSecret: string }
  /** A `.creds` file's text: user JWT and NKey seed (decentralised auth). */
  | { type: 'credentials'; credentialsSecret: string };

/** A NATS server with JetStream. */
export interface NatsConnection extends ConnectionCommon, NetworkEndpoint {
  kind: 'nats';
  auth?: NatsAuth;
  tls?: TlsSettings;
}

export interface NatsMessage {
  subject: string;
  body: string;
  headers?: Record<string, string>;
  /** JetStream's `Nats-Msg-Id`: the stream drops a second message with the same id. */
  msgId?: string;
}

export interface NatsReceipt {
  stream: string;
  seq: number;
  /** The stream already held a message with this `msgId` (nothing new was stored). */
  duplicate: boolean;
}

/** What a step on a `nats` connection may do (see `NodeContext.transport('nats')`). */
export interface NatsCapability {
  /** JetStream publish: resolves with the stream's acknowledgment, rejects without a stream. */
  publish(message: NatsMessage): Promise<NatsReceipt>;
}

export const natsKind: ConnectionKindSpec<NatsConnection> = {
  kind: 'nats',
  title: 'NATS JetStream',
  defaultPort: () => 4222,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'system', 'host'],
    properties: {
      kind: { const: 'nats' },
      ...commonProperties,
      ...endpointProperties,
      auth: {
        oneOf: [
          noAuthSchema,
          userPasswordAuthSchema,
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'tokenSecret'],
            properties: { type: { const: 'token' }, tokenSecret: secretNameSchema },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'seedSecret'],
            properties: { type: { const: 'nkey' }, seedSecret: secretNameSchema },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'credentialsSecret'],
            properties: { type: { const: 'credentials' }, credentialsSecret: secretNameSchema },
          },
        ],
      },
      tls: tlsSchema,
    },
  },
  secretNames(c) {
    const tls = tlsSecretNames(c.tls);
    const auth = c.auth;
    if (auth?.type === 'token') return [auth.tokenSecret, ...tls];
    if (auth?.type === 'nkey') return [auth.seedSecret, ...tls];
    if (auth?.type === 'credentials') return [auth.credentialsSecret, ...tls];
    return [...sharedAuthSecretNames(auth), ...tls];
  },
};
