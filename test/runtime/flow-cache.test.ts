import path from 'node:path';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanRedis, edge, flowDoc, node, testRuntime, uniquePrefix } from './helpers';

/**
 * Two runtimes on one prefix stand for two processes: `a` deploys and activates, `b` only reads
 * (the webhook table, the active version, deployments) through its in-process cache, which the
 * change announcements keep true.
 */
const prefix = uniquePrefix('flow-cache');
let a: Runtime;
let b: Runtime;

beforeAll(() => {
  a = testRuntime({ prefix, flowsDir: path.resolve('flows') });
  b = testRuntime({ prefix, flowsDir: path.resolve('flows') });
});

afterAll(async () => {
  await a.close();
  await b.close();
  await cleanRedis(prefix);
});

function version(v: string, hookPath: string) {
  const flow = flowDoc(
    'cached',
    [
      node('hook', 'trigger.webhook', { path: hookPath }),
      node('map', 'mapping.map', { fields: [] }),
    ],
    [edge('hook', 'map')],
  );
  return { ...flow, version: v };
}

/** Polls until `read` gives `expected` (an announcement travels through Redis). */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const until = Date.now() + 3_000;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected)) return;
    if (Date.now() > until) expect(value).toEqual(expected);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the in-process flow cache', () => {
  it('follows deploys and rollbacks made by another process', async () => {
    const hookOf = async (p: string) => (await b.activations.hook(p))?.flowId ?? null;
    const activeOf = async () => (await b.flows.latest('cached'))?.flow.version ?? null;
    // Read before anything exists: the cache holds "nothing" until told otherwise.
    expect(await hookOf('cache/one')).toBeNull();
    expect(await activeOf()).toBeNull();

    await a.flows.deploy(version('1.0.0', 'cache/one'), 'test', new Date());
    await eventually(() => hookOf('cache/one'), 'cached');
    await eventually(activeOf, '1.0.0');

    await a.flows.deploy(version('1.1.0', 'cache/two'), 'test', new Date());
    await eventually(() => hookOf('cache/one'), null);
    await eventually(() => hookOf('cache/two'), 'cached');
    await eventually(activeOf, '1.1.0');

    await a.flows.activate('cached', '1.0.0');
    await eventually(() => hookOf('cache/one'), 'cached');
    await eventually(() => hookOf('cache/two'), null);
    await eventually(activeOf, '1.0.0');
  });

  it('serves repeated reads from memory, not from Redis', async () => {
    await a.flows.deploy(version('2.0.0', 'cache/three'), 'test', new Date());
    await eventually(
      async () => (await b.activations.hook('cache/three'))?.flowId ?? null,
      'cached',
    );
    await eventually(async () => (await b.flows.latest('cached'))?.flow.version, '2.0.0');
    const hget = vi.spyOn(b.redis, 'hget');
    const hgetall = vi.spyOn(b.redis, 'hgetall');
    for (let i = 0; i < 50; i++) {
      expect((await b.activations.hook('cache/three'))?.flowId).toBe('cached');
      expect((await b.flows.latest('cached'))?.flow.version).toBe('2.0.0');
    }
    expect(hget).not.toHaveBeenCalled();
    expect(hgetall).not.toHaveBeenCalled();
    hget.mockRestore();
    hgetall.mockRestore();
  });
});
