import type { ProcessDocument } from '@crossdock/nodes';
import { describe, expect, it } from 'vitest';
import type { ProcessDeployment, ProcessStore } from './process-store';
import { Tower, type TowerDeps } from './tower';

function doc(id: string, version: string): ProcessDocument {
  return {
    schemaVersion: 1,
    id,
    name: id,
    version,
    businessKey: 'order',
    milestones: [{ id: 'a', name: 'A', on: [{ flow: 'f', node: 'n' }] }],
    expectations: [],
    checks: [],
  };
}

/** A process store answering from a list, failing on demand; counts its reads. */
function fakeStore(active: ProcessDocument[]) {
  const state = { active, fail: false, reads: 0 };
  const store = {
    channel: 'changed',
    async allActive(): Promise<ProcessDeployment[]> {
      state.reads++;
      if (state.fail) throw new Error('Redis is away');
      return state.active.map((process) => ({
        process,
        hash: 'h',
        deployedAt: '',
        deployedBy: '',
      }));
    },
  };
  return { state, store: store as unknown as ProcessStore };
}

function tower(store: ProcessStore, warnings: unknown[]): Tower {
  // Only what reading the active versions touches; the rest of the tower is not used here.
  const deps = {
    processes: store,
    log: { warn: (...args: unknown[]) => warnings.push(args) },
  } as unknown as TowerDeps;
  return new Tower(deps);
}

describe('the tower follows the active deployed versions', () => {
  it('reads them, keeps them for a while, and reads again when told of a change', async () => {
    const { state, store } = fakeStore([doc('o2c', '1.0.0')]);
    const t = tower(store, []);
    expect((await t.fresh()).map((p) => p.version)).toEqual(['1.0.0']);
    expect(t.observing('f').map((p) => p.id)).toEqual(['o2c']);
    state.active = [doc('o2c', '2.0.0')];
    await t.fresh();
    expect(state.reads).toBe(1);
    t.invalidate();
    expect((await t.fresh()).map((p) => p.version)).toEqual(['2.0.0']);
    expect(state.reads).toBe(2);
  });

  it('a change announced while a read is under way is read again', async () => {
    const { state, store } = fakeStore([doc('o2c', '1.0.0')]);
    const t = tower(store, []);
    const first = t.fresh();
    // Deployed and announced after that read started: the read returns the old version.
    state.active = [doc('o2c', '2.0.0')];
    t.invalidate();
    await first;
    expect((await t.fresh()).map((p) => p.version)).toEqual(['2.0.0']);
  });

  it('keeps the processes it has when a read fails, and says so', async () => {
    const { state, store } = fakeStore([doc('o2c', '1.0.0')]);
    const warnings: unknown[] = [];
    const t = tower(store, warnings);
    await t.fresh();
    state.fail = true;
    t.invalidate();
    expect((await t.fresh()).map((p) => p.version)).toEqual(['1.0.0']);
    expect(warnings).toHaveLength(1);
    // Still stale: the next call tries again, and succeeds once Redis answers.
    state.fail = false;
    state.active = [];
    expect(await t.fresh()).toEqual([]);
  });
});
