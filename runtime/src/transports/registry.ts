import type { TransportKind } from '@crossdock/nodes';
import type { TransportAdapter } from './adapter';
import { amqpAdapter } from './amqp';
import { mqttAdapter } from './mqtt';
import { mysqlAdapter } from './mysql';
import { natsAdapter } from './nats';
import { postgresAdapter } from './postgres';
import { sftpAdapter } from './sftp';

/**
 * The adapter of every kind that has a capability: the mapped type makes a kind added to
 * `TransportCapabilities` without its adapter a compile error.
 */
export const transportAdapters: { readonly [K in TransportKind]: TransportAdapter<K> } = {
  amqp: amqpAdapter,
  nats: natsAdapter,
  mqtt: mqttAdapter,
  sftp: sftpAdapter,
  postgres: postgresAdapter,
  mysql: mysqlAdapter,
};
