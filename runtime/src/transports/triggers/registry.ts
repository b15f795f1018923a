import type { TransportKind } from '@crossdock/nodes';
import { amqpTriggerAdapter } from './amqp';
import { mqttTriggerAdapter } from './mqtt';
import { natsTriggerAdapter } from './nats';
import type { TriggerAdapter } from './trigger-adapter';

/** The consuming side of each kind that can start runs, by trigger node type. */
export const triggerAdapters: Readonly<Record<string, TriggerAdapter<TransportKind>>> = {
  [amqpTriggerAdapter.type]: amqpTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
  [natsTriggerAdapter.type]: natsTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
  [mqttTriggerAdapter.type]: mqttTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
};
