import { connectionKinds } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import { transportAdapters, transportKinds } from './registry';
import { triggerAdapters } from './triggers/registry';

describe('the transport registration', () => {
  it('has one entry per non-HTTP connection kind, each adapter of its own kind', () => {
    const kinds = connectionKinds.map((k) => k.kind).filter((k) => k !== 'http');
    expect(Object.keys(transportKinds).sort()).toEqual([...kinds].sort());
    for (const [kind, adapter] of Object.entries(transportAdapters))
      expect(adapter.kind).toBe(kind);
  });

  it('registers each consuming trigger under the kind it belongs to', () => {
    expect(Object.keys(triggerAdapters).sort()).toEqual(['amqp', 'mqtt', 'nats']);
    for (const [kind, k] of Object.entries(transportKinds)) {
      for (const t of 'triggers' in k ? (k.triggers ?? []) : []) expect(t.kind).toBe(kind);
    }
  });
});
