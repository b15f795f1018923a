import type { TransportKind } from '@crossdock/nodes';
import { amqpTriggerAdapter } from './amqp';
import { mqttTriggerAdapter } from './mqtt';
import { natsTriggerAdapter } from './nats';
import type { TriggerAdapter } from './trigger-adapter';

/**
 * The consuming side of each kind that can start runs, by connection kind (a trigger's manifest
 * declares `activation: { kind: 'consumer', transport }`).
 */
export const triggerAdapters: Readonly<
  Partial<Record<TransportKind, TriggerAdapter<TransportKind>>>
> = {
  [amqpTriggerAdapter.kind]: amqpTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
  [natsTriggerAdapter.kind]: natsTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
  [mqttTriggerAdapter.kind]: mqttTriggerAdapter as unknown as TriggerAdapter<TransportKind>,
};
