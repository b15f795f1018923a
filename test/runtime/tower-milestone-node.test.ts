import type { JsonObject, ProcessDocument } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  flowsDirFor,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from './helpers';

/**
 * `flow.milestone` on the real runtime: a flow records a milestone explicitly through the node
 * context, the control tower's state follows, a retried step records it once, and a bad
 * process, milestone or key fails the step.
 */

const prefix = uniquePrefix('tower-node');
const flows = flowsDirFor('http://127.0.0.1:9');
let runtime: Runtime;

const orders = flowDoc('ms-orders', [node('t', 'trigger.manual')], [], {
  businessKeys: { order: { var: 'number' } },
});
const invoice = flowDoc(
  'ms-invoice',
  [
    node('t', 'trigger.manual'),
    node('record', 'flow.milestone', {
      process: 'ms-o2c',
      milestone: 'invoiced',
      key: { var: 'order' },
      occurredAt: { var: 'at' },
      attributes: { amount: { var: 'total' } },
    }),
  ],
  [edge('t', 'record')],
);
// No explicit key: the run's business key names the object.
const confirm = flowDoc(
  'ms-confirm',
  [
    node('t', 'trigger.manual'),
    node('record', 'flow.milestone', { process: 'ms-o2c', milestone: 'confirmed' }),
  ],
  [edge('t', 'record')],
  { businessKeys: { order: { var: 'number' } } },
);
const wrong = flowDoc(
  'ms-wrong',
  [
    node('t', 'trigger.manual'),
    node('record', 'flow.milestone', { process: 'ms-o2c', milestone: 'moon' }),
  ],
  [edge('t', 'record')],
  { businessKeys: { order: { var: 'number' } } },
);

const process: ProcessDocument = {
  schemaVersion: 1,
  id: 'ms-o2c',
  name: 'Orders recorded explicitly',
  version: '1.0.0',
  businessKey: 'order',
  milestones: [
    { id: 'received', name: 'Received', on: [{ flow: 'ms-orders', node: 't' }] },
    { id: 'confirmed', name: 'Confirmed', on: [] },
    { id: 'invoiced', name: 'Invoiced', on: [] },
  ],
  expectations: [
    {
      id: 'uninvoiced',
      name: 'Not invoiced',
      after: 'received',
      expect: 'invoiced',
      within: 'P1D',
      owner: 'finance',
      severity: 'medium',
    },
  ],
  checks: [],
};

beforeAll(async () => {
  runtime = testRuntime({ prefix, flowsDir: flows.dir });
  await runtime.tower.processes.deploy(process, 'test', new Date());
  for (const f of [orders, invoice, confirm, wrong])
    await runtime.flows.deploy(f, 'test', new Date());
  runtime.startWorker(4);
});

afterAll(async () => {
  await runtime.close();
  flows.remove();
  await cleanRedis(prefix);
});

const run = async (flowId: string, payload: JsonObject) =>
  waitForRun(runtime, (await runtime.service.start({ flowId, payload })).runId);

/** The object's state once `ready` holds (the tower records after the step is saved). */
async function stateWhen(key: string, ready: (s: { stage: string }) => boolean) {
  const until = Date.now() + 10_000;
  for (;;) {
    const state = await runtime.tower.store.get('ms-o2c', key);
    if (state && ready(state)) return state;
    if (Date.now() > until) throw new Error(`${key}: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('flow.milestone on the runtime', () => {
  it('records milestones explicitly: stage, timeline with attributes, expectation fulfilled', async () => {
    expect((await run('ms-orders', { number: 'M-1' })).status).toBe('succeeded');
    expect((await stateWhen('M-1', (x) => x.stage === 'received')).open).toHaveLength(1);

    const confirmed = await run('ms-confirm', { number: 'M-1' });
    expect(confirmed.status).toBe('succeeded');
    const invoiced = await run('ms-invoice', {
      order: 'M-1',
      at: '2026-11-27T16:30:00Z',
      total: 410.2,
    });
    expect(invoiced.status).toBe('succeeded');

    const state = await stateWhen('M-1', (x) => x.stage === 'invoiced');
    expect(state?.stage).toBe('invoiced');
    expect(state?.open).toEqual([]);
    const entry = state?.timeline.find((e) => e.milestone === 'invoiced');
    expect(entry).toMatchObject({
      runId: invoiced.id,
      flowId: 'ms-invoice',
      nodeId: 'record',
      occurredAt: '2026-11-27T16:30:00.000Z',
      attributes: { amount: 410.2 },
    });
    expect(state?.timeline.find((e) => e.milestone === 'confirmed')?.runId).toBe(confirmed.id);
  });

  it('records a retried step once, and fails the step for an unknown milestone or a missing key', async () => {
    const step = { nodeId: 'record', messageId: 'm1' };
    const m = { process: 'ms-o2c', milestone: 'confirmed', key: 'M-2', attributes: {} };
    const identity = { id: 'run-retried', flowId: 'ms-confirm' };
    expect(await runtime.tower.record(identity, step, m)).toEqual({
      recorded: true,
      key: 'M-2',
      stage: 'confirmed',
    });
    expect(await runtime.tower.record(identity, step, m)).toEqual({
      recorded: false,
      key: 'M-2',
      stage: 'confirmed',
    });
    expect((await runtime.tower.store.get('ms-o2c', 'M-2'))?.timeline).toHaveLength(1);

    const bad = await run('ms-wrong', { number: 'M-3' });
    expect(bad.status).toBe('failed');
    expect(JSON.stringify(bad.steps.at(-1)?.error)).toMatch(/no milestone \\"moon\\"/);
    const keyless = await run('ms-confirm', { other: 1 });
    expect(keyless.status).toBe('failed');
    expect(JSON.stringify(keyless.steps.at(-1)?.error)).toMatch(/No key for \\"ms-o2c\\"/);
  });
});
