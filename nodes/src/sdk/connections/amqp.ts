import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  endpointProperties,
  type NetworkEndpoint,
  type NoAuth,
  noAuthSchema,
  sharedAuthSecretNames,
  type TlsSettings,
  tlsSchema,
  tlsSecretNames,
  type UserPasswordAuth,
  userPasswordAuthSchema,
} from './common';

/**
 * A RabbitMQ (AMQP 0-9-1) broker. Auth `none` logs in as the broker's default guest (which
 * RabbitMQ accepts from loopback only), or by SASL EXTERNAL with a TLS client certificate.
 */
export interface AmqpConnection extends ConnectionCommon, NetworkEndpoint {
  kind: 'amqp';
  /** Virtual host; `/` when absent. */
  vhost?: string;
  heartbeatSeconds?: number;
  auth?: NoAuth | UserPasswordAuth;
  tls?: TlsSettings;
}

export type AmqpHeaderValue = string | number | boolean;

/** One message to publish. `exchange: ""` is the default exchange (routing key = queue). */
export interface AmqpMessage {
  exchange: string;
  routingKey: string;
  body: string;
  contentType?: string;
  headers?: Record<string, AmqpHeaderValue>;
  messageId?: string;
  /** Delivery mode 2 (written to disk by durable queues); true unless set to false. */
  persistent?: boolean;
}

export interface AmqpReceipt {
  exchange: string;
  routingKey: string;
  messageId?: string;
}

/** What a step on an `amqp` connection may do (see `NodeContext.transport('amqp')`). */
export interface AmqpCapability {
  /**
   * Publishes on a confirm channel and resolves once the broker confirms the message; a nack or
   * a message no queue would take (published as mandatory) rejects.
   */
  publish(message: AmqpMessage): Promise<AmqpReceipt>;
}

export const amqpKind: ConnectionKindSpec<AmqpConnection> = {
  kind: 'amqp',
  title: 'RabbitMQ (AMQP 0-9-1)',
  defaultPort: (c) => (c.tls ? 5671 : 5672),
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'system', 'host'],
    properties: {
      kind: { const: 'amqp' },
      ...commonProperties,
      ...endpointProperties,
      vhost: { type: 'string', minLength: 1, description: 'Virtual host; `/` when absent.' },
      heartbeatSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: 3600,
        description: 'AMQP heartbeat (30 s when absent): how soon a dead peer is noticed.',
      },
      auth: { oneOf: [noAuthSchema, userPasswordAuthSchema] },
      tls: tlsSchema,
    },
  },
  secretNames: (c) => [...sharedAuthSecretNames(c.auth), ...tlsSecretNames(c.tls)],
};
