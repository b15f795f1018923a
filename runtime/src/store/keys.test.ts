import { describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, keySlot } from './key-slot';
import { createKeys, partitionPrefixes } from './keys';

describe('key slots', () => {
  it('match the values Redis Cluster documents', () => {
    // CRC16-XMODEM("123456789") = 0x31C3; `CLUSTER KEYSLOT foo` = 12182.
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    // The first non-empty {tag} decides; an empty {} does not count.
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
  });
});

describe('keys in partitions', () => {
  it('with one partition, the layout is the one before partitions', () => {
    const keys = createKeys('{crossdock}');
    const p = keys.partition(0);
    expect(keys.count).toBe(1);
    expect(keys.run('run_1')).toBe('{crossdock}:cd:run:run_1');
    expect(keys.steps('run_1')).toBe('{crossdock}:cd:run:run_1:steps');
    expect(keys.state('run_1')).toBe('{crossdock}:cd:run:run_1:state');
    expect(keys.reply('run_1')).toBe('{crossdock}:cd:reply:run_1');
    expect(p.prefix).toBe('{crossdock}');
    expect(p.all).toBe('{crossdock}:cd:idx:all');
    expect(p.byStatus('queued')).toBe('{crossdock}:cd:idx:status:queued');
    expect(p.dedupe('f', 'k')).toBe('{crossdock}:cd:dedupe:f:k');
    expect(p.ordering('f', 'o')).toBe('{crossdock}:cd:order:f:o');
    expect(p.compactCursor).toBe('{crossdock}:cd:compact:cursor');
    // One epoch marker, the global one, as before partitions.
    expect(keys.epoch).toBe('{crossdock}:cd:epoch');
    expect(p.epoch).toBe(keys.epoch);
    // Ids are not touched, and every one is in partition 0.
    expect(keys.placeRun('run_1', 0)).toBe('run_1');
    expect(keys.partitionOf('run_1.p4')).toBe(0);
    expect(keys.partitionFor('f', 'anything')).toBe(0);
  });

  it('spreads partition tags evenly over the slot space, globals on the prefix tag', () => {
    const keys = createKeys('{crossdock}', 6);
    const slots = keys.partitions.map((p) => keySlot(p.all));
    // One tag per sixth of the slots, in order: a cluster that splits its slots evenly over
    // masters (as `redis-cli --cluster create` does) gets partitions on every master.
    expect(slots.map((s) => Math.floor((s * 6) / CLUSTER_SLOTS))).toEqual([0, 1, 2, 3, 4, 5]);
    for (const p of keys.partitions) {
      expect(p.prefix).toMatch(/^\{crossdock~\d+\}$/);
      // Every key of a partition is in its slot.
      const slot = keySlot(p.all);
      for (const k of [p.byKey('x'), p.dedupe('f', 'k'), p.ordering('f', 'o'), p.epoch]) {
        expect(keySlot(k)).toBe(slot);
      }
    }
    expect(keySlot(keys.epoch)).toBe(keySlot('{crossdock}'));
    // Each partition's epoch marker is its own key, beside the global one.
    expect(new Set([keys.epoch, ...keys.partitions.map((p) => p.epoch)]).size).toBe(7);
    expect(keySlot(keys.flowLatest)).toBe(keySlot('{crossdock}'));
    // The same prefix and count give the same tags (every process agrees).
    expect(partitionPrefixes('{crossdock}', 6)).toEqual(keys.partitions.map((p) => p.prefix));
    // A prefix without a tag becomes one; the rest of a tagged prefix is kept.
    expect(partitionPrefixes('plain', 2).every((p) => /^\{plain~\d+\}$/.test(p))).toBe(true);
    expect(partitionPrefixes('{t}:x', 2).every((p) => /^\{t~\d+\}:x$/.test(p))).toBe(true);
  });

  it('finds a run from its id alone, and keeps a business key in one partition', () => {
    const keys = createKeys('{crossdock}', 6);
    for (let p = 0; p < 6; p++) {
      const id = keys.placeRun('run_abc', p);
      expect(id).toBe(`run_abc.p${p}`);
      expect(keys.partitionOf(id)).toBe(p);
      expect(keySlot(keys.run(id))).toBe(keySlot(keys.partition(p).all));
      expect(keySlot(keys.steps(id))).toBe(keySlot(keys.partition(p).all));
      expect(keySlot(keys.reply(id))).toBe(keySlot(keys.partition(p).all));
    }
    // An id without a placement (older, or out of range) goes by its hash, the same each time.
    expect(keys.partitionOf('run_x')).toBe(keys.partitionOf('run_x'));
    expect(keys.partitionOf('run_x.p9')).toBe(keys.partitionOf('run_x.p9'));
    expect(keys.partitionOf('run_x.p9')).toBeLessThan(6);
    expect(keys.partitionFor('f', 'SO-1')).toBe(keys.partitionFor('f', 'SO-1'));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => keys.partitionFor('f', `k${i}`)));
    expect(spread.size).toBe(6);
    expect(() => keys.partition(6)).toThrow(RangeError);
  });

  it('refuses a partition count out of range', () => {
    expect(() => createKeys('{c}', 0)).toThrow(RangeError);
    expect(() => createKeys('{c}', 257)).toThrow(RangeError);
    expect(() => createKeys('{c}', 1.5)).toThrow(RangeError);
  });
});
