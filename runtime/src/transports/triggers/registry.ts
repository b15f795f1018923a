import type { TransportKind } from '@crossdock/nodes';
import { type TransportKindRuntime, transportKinds } from '../registry';
import type { TriggerAdapter } from './trigger-adapter';

/** The consuming side of each kind that can start runs, by trigger node type (from `transportKinds`). */
export const triggerAdapters: Readonly<Record<string, TriggerAdapter<TransportKind>>> =
  Object.fromEntries(
    Object.values(transportKinds as Record<string, TransportKindRuntime<TransportKind>>)
      .flatMap((k) => k.triggers ?? [])
      .map((t) => [t.type, t]),
  );
