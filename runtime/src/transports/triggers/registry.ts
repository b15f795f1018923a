import type { TransportKind } from '@crossdock/nodes';
import { type TransportKindRuntime, transportKinds } from '../registry';
import type { TriggerAdapter } from './trigger-adapter';

/**
 * The consuming side of each kind that can start runs, by connection kind (from `transportKinds`;
 * a trigger's manifest declares `activation: { kind: 'consumer', transport }`).
 */
export const triggerAdapters: Readonly<
  Partial<Record<TransportKind, TriggerAdapter<TransportKind>>>
> = Object.fromEntries(
  Object.values(transportKinds as Record<string, TransportKindRuntime<TransportKind>>)
    .flatMap((k) => k.triggers ?? [])
    .map((t) => [t.kind, t]),
);
