import { type AmqpCapability, type AmqpConnection, amqpKind } from './amqp';
import type { ConnectionKindSpec } from './common';
import { type HttpConnection, httpKind } from './http';
import { type MqttCapability, type MqttConnection, mqttKind } from './mqtt';
import { type NatsCapability, type NatsConnection, natsKind } from './nats';
import { type SftpConnection, sftpKind } from './sftp';
import type { SftpCapability } from './sftp-capability';
import { type MysqlConnection, mysqlKind, type PostgresConnection, postgresKind } from './sql';
import type { SqlCapability } from './sql-capability';

/** A connection as the environment file declares it: one shape per kind. */
export type Connection =
  | HttpConnection
  | AmqpConnection
  | NatsConnection
  | MqttConnection
  | SftpConnection
  | PostgresConnection
  | MysqlConnection;

export type ConnectionKind = NonNullable<Connection['kind']>;

/** The connection shape of one kind. */
export type ConnectionOf<K extends ConnectionKind> = K extends 'http'
  ? HttpConnection
  : Extract<Connection, { kind: K }>;

/**
 * What a step may do on a connection of each kind, through `NodeContext.transport(kind)`.
 * HTTP keeps `NodeContext.fetch`. A new kind adds its capability here and its adapter in the
 * runtime.
 */
export interface TransportCapabilities {
  amqp: AmqpCapability;
  nats: NatsCapability;
  mqtt: MqttCapability;
  sftp: SftpCapability;
  postgres: SqlCapability;
  mysql: SqlCapability;
}

export type TransportKind = keyof TransportCapabilities;

/** Every kind, in the order the environment schema and the docs list them. */
export const connectionKinds = [
  httpKind,
  amqpKind,
  natsKind,
  mqttKind,
  sftpKind,
  postgresKind,
  mysqlKind,
] as const satisfies readonly ConnectionKindSpec<never>[];

/** The kind of a connection (`http` when the file leaves it out). */
export function connectionKind(connection: Connection): ConnectionKind {
  return connection.kind ?? 'http';
}

/** Narrows to an HTTP connection (the only kind with a `baseUrl`). */
export function isHttpConnection(connection: Connection): connection is HttpConnection {
  return connection.kind === undefined || connection.kind === 'http';
}

function specOf(kind: ConnectionKind): ConnectionKindSpec<Connection> {
  const spec = connectionKinds.find((k) => k.kind === kind);
  if (!spec) throw new Error(`Unknown connection kind ${kind}.`);
  return spec as unknown as ConnectionKindSpec<Connection>;
}

/** Names of the secrets a connection needs, so a missing one can be named before a deploy. */
export function secretNames(connection: Connection): string[] {
  return specOf(connectionKind(connection)).secretNames(connection);
}

/** The port a host-and-port connection reaches (its kind's default when it names none). */
export function connectionPort(connection: Exclude<Connection, HttpConnection>): number {
  return connection.port ?? specOf(connection.kind).defaultPort?.(connection) ?? 0;
}

/**
 * Where a connection points, for lists and logs: the base URL of HTTP, else
 * `<kind>://host:port[/vhost or database]`. Never carries credentials.
 */
export function connectionEndpoint(connection: Connection): string {
  if (isHttpConnection(connection)) return connection.baseUrl;
  const base = `${connection.kind}://${connection.host}:${connectionPort(connection)}`;
  if (connection.kind === 'amqp') return `${base}/${encodeURIComponent(connection.vhost ?? '/')}`;
  if (connection.kind === 'postgres' || connection.kind === 'mysql')
    return `${base}/${connection.database}`;
  return base;
}

/**
 * The schema of one connection: `kind` picks the kind's own schema (absent means `http`), so a
 * mistake is reported against that kind's fields rather than as "matches none of seven".
 */
export const connectionSchema = {
  type: 'object',
  required: ['system'],
  properties: {
    kind: {
      enum: connectionKinds.map((k) => k.kind),
      description: 'What the connection speaks; `http` when absent.',
    },
  },
  allOf: connectionKinds.map((k) => ({
    if:
      k.kind === 'http'
        ? { properties: { kind: { const: 'http' } } }
        : { required: ['kind'], properties: { kind: { const: k.kind } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
    then: k.schema,
  })),
} as const;

export type { AmqpCapability, AmqpConnection, AmqpMessage, AmqpReceipt } from './amqp';
export type {
  ConnectionCircuitBreaker,
  ConnectionCommon,
  ConnectionKindSpec,
  ConnectionRateLimit,
  NetworkEndpoint,
  TlsSettings,
  UserPasswordAuth,
} from './common';
export type { HttpAuth, HttpConnection } from './http';
export type { MqttCapability, MqttConnection, MqttMessage, MqttReceipt } from './mqtt';
export type { NatsAuth, NatsCapability, NatsConnection, NatsMessage, NatsReceipt } from './nats';
export type { SftpAuth, SftpConnection } from './sftp';
export type { MysqlConnection, PostgresConnection, SqlConnection } from './sql';
