import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  catalog,
  type FlowNode,
  formatFlow,
  type JsonObject,
  type JsonValue,
  loadFlow,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { fakeContext } from '@crossdock/nodes/testing';
import { describe, expect, it } from 'vitest';
import { SHIPPABLE, TO_FULFILLMENT, TO_SHIPMENT } from './node-red';
import { salesOrder } from './sales-order';

/**
 * The bench compares engines doing the same work: the flow file's mapping and rule nodes and
 * Node-RED's function-node code must turn the same order into the same requests.
 */
const text = readFileSync(
  fileURLToPath(new URL('./order-flow.flow.json', import.meta.url)),
  'utf8',
);
const connection = { system: 'wms', baseUrl: 'http://127.0.0.1:1', allowPrivateNetwork: true };
const loaded = loadFlow(text, catalog, {
  environment: {
    name: 'dev',
    connections: { wms: connection, tms: { ...connection, system: 'tms' } },
  },
  expectedId: 'bench-order-flow',
});

async function step(id: string, payload: JsonValue) {
  const node = loaded.flow?.nodes.find((n) => n.id === id) as FlowNode;
  const run = executors[node.type];
  if (!run) throw new Error(`no executor for ${node.type}`);
  const result = await run(
    { payload, port: 'in', meta: { correlationId: 'c', splits: [] } },
    fakeContext(node.config),
  );
  return result.emissions[0];
}

type Msg = { payload: unknown; fulfillment?: unknown } | null;
const functionNode = (code: string) => new Function('msg', code) as (msg: Msg) => Msg;

describe('the order-flow bench flow', () => {
  it('validates (only the unsigned-webhook warning) and is in canonical form', () => {
    expect(loaded.diagnostics.filter((d) => d.code !== 'webhook.unsigned-idempotency')).toEqual([]);
    expect(formatFlow(JSON.parse(text))).toBe(text);
  });

  it('sends the WMS and the TMS what the Node-RED function nodes send', async () => {
    const order = salesOrder(7) as unknown as JsonObject;
    const fo = (await step('n-fulfillment', order))?.payload as JsonObject;
    expect(fo).toMatchObject({ orderRef: 'SO-7', warehouse: 'DEDUS1', totals: { units: 23 } });
    expect((fo.lines as unknown[]).length).toBe(5);
    expect((await step('n-shippable', fo))?.port).toBe('true');
    const wms = { id: 'FO-SO-7', status: 'ACCEPTED', wave: 'W-3' };
    const shipment = (await step('n-shipment', { ...fo, response: wms }))?.payload;

    const red1 = functionNode(TO_FULFILLMENT)({ payload: structuredClone(order) });
    expect(red1?.payload).toEqual(fo);
    const red2 = functionNode(SHIPPABLE)(red1);
    expect(red2).not.toBeNull();
    const red3 = functionNode(TO_SHIPMENT)({ payload: wms, fulfillment: red2?.fulfillment });
    expect(red3?.payload).toEqual(shipment);
  });
});
