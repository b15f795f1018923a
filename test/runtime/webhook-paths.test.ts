import path from 'node:path';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, edge, flowDoc, node, testRuntime, uniquePrefix } from './helpers';

const prefix = uniquePrefix('hook-paths');
let runtime: Runtime;

beforeAll(() => {
  runtime = testRuntime({ prefix, flowsDir: path.resolve('flows') });
});

afterAll(async () => {
  await runtime.close();
  await cleanRedis(prefix);
});

function version(v: string, hookPath: string) {
  const flow = flowDoc(
    'hooked',
    [
      node('hook', 'trigger.webhook', { path: hookPath }),
      node('map', 'mapping.map', { fields: [] }),
    ],
    [edge('hook', 'map')],
  );
  return { ...flow, version: v };
}

describe('webhook paths follow the active version', () => {
  it('a path the active version no longer declares stops answering, and comes back on rollback', async () => {
    await runtime.flows.deploy(version('1.0.0', 'erp/old-event'), 'test', new Date());
    expect(await runtime.activations.hook('erp/old-event')).toMatchObject({
      flowId: 'hooked',
      nodeId: 'hook',
    });

    await runtime.flows.deploy(version('1.1.0', 'erp/new-event'), 'test', new Date());
    expect(await runtime.activations.hook('erp/old-event')).toBeUndefined();
    expect(await runtime.activations.hook('erp/new-event')).toMatchObject({ flowId: 'hooked' });

    await runtime.flows.activate('hooked', '1.0.0');
    expect(await runtime.activations.hook('erp/old-event')).toMatchObject({ flowId: 'hooked' });
    expect(await runtime.activations.hook('erp/new-event')).toBeUndefined();
  });

  it("leaves other flows' paths alone", async () => {
    const other = { ...version('1.0.0', 'wms/other'), id: 'other-flow' };
    await runtime.flows.deploy(other, 'test', new Date());
    await runtime.flows.deploy(version('1.2.0', 'erp/newer-event'), 'test', new Date());
    expect(await runtime.activations.hook('wms/other')).toMatchObject({ flowId: 'other-flow' });
  });
});
