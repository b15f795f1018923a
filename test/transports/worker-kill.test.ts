import type { Runtime } from '@crossdock/runtime';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CountingDownstream,
  type CrossdockProcess,
  countingDownstream,
} from '../faults/processes';
import { cleanRedis, edge, flowDoc, node, testRuntime, uniquePrefix } from '../runtime/helpers';
import {
  BROKER_SECRETS,
  type BrokerSpace,
  brokerSpace,
  eventually,
  spawnBrokerWorker,
} from './broker-kit';

/**
 * kill -9 of a `crossdock worker` between receiving a RabbitMQ message and acknowledging it
 * (the fault point right after its run is recorded): the broker redelivers the message to the
 * next worker, the flow's idempotency key makes it the same run, and the counting downstream
 * sees exactly one business effect per event: one Idempotency-Key. A call that was in flight
 * when the worker died is sent again by the next worker under that same key (at-least-once,
 * as every connector step), so a raw count may exceed one for those only.
 */

const FLOW = 'kill-picks';
const EVENTS = 12;
const prefix = uniquePrefix('transports-kill');
let space: BrokerSpace;
let downstream: CountingDownstream;
let deployer: Runtime;
const procs: CrossdockProcess[] = [];

function worker(extra: Record<string, string> = {}): CrossdockProcess {
  const proc = spawnBrokerWorker(prefix, space, extra);
  procs.push(proc);
  return proc;
}

beforeAll(async () => {
  downstream = await countingDownstream();
  space = brokerSpace('kill', {
    api: { system: 'wms', baseUrl: downstream.server.url, allowPrivateNetwork: true },
  });
  deployer = testRuntime({ prefix, flowsDir: space.flowsDir, env: BROKER_SECRETS });
  await deployer.flows.deploy(
    flowDoc(
      FLOW,
      [
        node('t', 'trigger.amqp', {
          connection: 'rabbit',
          queue: 'picks',
          bindings: [{ exchange: 'wms.events', routingKey: 'pick.#' }],
          prefetch: 1,
        }),
        node('call', 'connector.http', {
          connection: 'api',
          method: 'POST',
          path: '/effects?order={{pickId}}',
        }),
      ],
      [edge('t', 'call')],
      { idempotencyKey: { var: 'pickId' } },
    ),
    'test',
    new Date(),
  );
}, 30_000);

afterAll(async () => {
  for (const p of procs) await p.stop(3_000);
  await deployer?.close();
  await downstream?.close();
  space?.remove();
  await cleanRedis(prefix);
});

describe('worker killed between receiving a broker message and acknowledging it', () => {
  it('redelivers the message to the next worker; one business effect per event', async () => {
    const doomed = worker({ CROSSDOCK_FAULTS: 'intake:after-record@3' });
    const conn = await amqp.connect({ hostname: '127.0.0.1', vhost: space.vhost });
    await eventually(async () => {
      const probe = await conn.createChannel();
      probe.on('error', () => {});
      const q = await probe.checkQueue('picks').catch(() => null);
      if (q) await probe.close();
      return (q?.consumerCount ?? 0) >= 1;
    }, 60_000);
    const ch = await conn.createConfirmChannel();
    for (let i = 1; i <= EVENTS; i += 1) {
      ch.publish('wms.events', 'pick.completed', Buffer.from(JSON.stringify({ pickId: `P${i}` })), {
        persistent: true,
      });
    }
    await ch.waitForConfirms();
    // The third intake records its run and the process dies before the ack.
    expect(await doomed.exited).not.toBe(0);
    worker();
    await eventually(() => {
      let all = true;
      for (let i = 1; i <= EVENTS; i += 1) if (!downstream.effects.get(`P${i}`)) all = false;
      return all;
    }, 60_000);
    await eventually(async () => (await ch.checkQueue('picks')).messageCount === 0);
    for (let i = 1; i <= EVENTS; i += 1) {
      expect(downstream.effects.get(`P${i}`)).toBeGreaterThanOrEqual(1);
      // One business effect: every delivery of an event carries one and the same key.
      expect(downstream.keys.get(`P${i}`)?.size).toBe(1);
    }
    // The redelivered message was the same run: one run per event, none twice.
    const runs = (await deployer.runs.list({ flow: FLOW, limit: 100 })).runs;
    expect(runs).toHaveLength(EVENTS);
    // Only calls in flight at the kill (at most the worker's 4 slots) were sent twice.
    const total = [...downstream.effects.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(EVENTS + 4);
    await conn.close();
  }, 120_000);
});
