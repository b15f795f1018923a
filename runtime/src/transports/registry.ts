import type { TransportKind } from '@crossdock/nodes';
import type { TransportAdapter } from './adapter';
import { amqpAdapter } from './amqp';
import { mqttAdapter } from './mqtt';
import { mysqlAdapter } from './mysql';
import { natsAdapter } from './nats';
import { postgresAdapter } from './postgres';
import { sftpAdapter } from './sftp';
import { amqpTriggerAdapter } from './triggers/amqp';
import { mqttTriggerAdapter } from './triggers/mqtt';
import { natsTriggerAdapter } from './triggers/nats';
import type { TriggerAdapter } from './triggers/trigger-adapter';

/** The runtime side of one transport kind: its client adapter and the triggers consuming from it. */
export interface TransportKindRuntime<K extends TransportKind> {
  adapter: TransportAdapter<K>;
  /** Consuming triggers (a broker queue, subject or topic), started by `BrokerTriggers`. */
  triggers?: readonly TriggerAdapter<K>[];
}

/**
 * The one place the runtime registers a transport kind: one line per kind. The mapped type makes
 * a kind added to `TransportCapabilities` (nodes) without its line here a compile error. (The
 * SFTP folder trigger polls instead of consuming: it runs on BullMQ job schedulers, see
 * `sftp-trigger.ts`.)
 */
export const transportKinds: { readonly [K in TransportKind]: TransportKindRuntime<K> } = {
  amqp: { adapter: amqpAdapter, triggers: [amqpTriggerAdapter] },
  nats: { adapter: natsAdapter, triggers: [natsTriggerAdapter] },
  mqtt: { adapter: mqttAdapter, triggers: [mqttTriggerAdapter] },
  sftp: { adapter: sftpAdapter },
  postgres: { adapter: postgresAdapter },
  mysql: { adapter: mysqlAdapter },
};

/** The adapter of every kind that has a capability. */
export const transportAdapters = Object.fromEntries(
  Object.entries(transportKinds).map(([kind, k]) => [kind, k.adapter]),
) as { readonly [K in TransportKind]: TransportAdapter<K> };
