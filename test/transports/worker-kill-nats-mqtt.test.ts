import type { FlowNode } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
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
 * kill -9 of a `crossdock worker` between receiving a message and acknowledging it (the fault
 * point right after its run is recorded), as worker-kill.test.ts does for RabbitMQ, for a NATS
 * JetStream durable consumer (redelivered after `ackWaitMs`) and an MQTT QoS 1 persistent
 * session (resent when the next worker takes the session over, once the dead one's lock
 * expires). The flow's idempotency key makes a redelivery the same run; the counting
 * downstream sees one business effect per event (one Idempotency-Key).
 */

const EVENTS = 10;

interface Kind {
  name: 'nats' | 'mqtt';
  trigger(space: BrokerSpace): FlowNode;
  /** Whatever must exist before the worker consumes (a stream). */
  prepare(space: BrokerSpace): Promise<void>;
  /** True once the doomed worker consumes. */
  consuming(space: BrokerSpace, deployer: Runtime, flowId: string): Promise<boolean>;
  publish(space: BrokerSpace, events: string[]): Promise<void>;
  /** True once nothing is left unacknowledged at the broker. */
  drained(space: BrokerSpace): Promise<boolean>;
  cleanup(space: BrokerSpace): Promise<void>;
}

const enc = new TextEncoder();

const kinds: Kind[] = [
  {
    name: 'nats',
    trigger: (space) =>
      node('t', 'trigger.nats', {
        connection: 'nats',
        stream: space.stream,
        consumer: 'picks',
        filterSubject: `${space.stream}.picks.>`,
        ackWaitMs: 2_000,
      }),
    async prepare(space) {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      await (await nc.jetstreamManager()).streams.add({
        name: space.stream,
        subjects: [`${space.stream}.>`],
      });
      await nc.close();
    },
    async consuming(space) {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      try {
        const info = await (await nc.jetstreamManager()).consumers.info(space.stream, 'picks');
        return info.num_waiting > 0 || info.push_bound === true;
      } catch {
        return false;
      } finally {
        await nc.close();
      }
    },
    async publish(space, events) {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      const js = nc.jetstream();
      for (const pickId of events) {
        await js.publish(`${space.stream}.picks.dc1`, enc.encode(JSON.stringify({ pickId })));
      }
      await nc.close();
    },
    async drained(space) {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      try {
        const info = await (await nc.jetstreamManager()).consumers.info(space.stream, 'picks');
        return info.num_ack_pending === 0 && info.num_pending === 0;
      } finally {
        await nc.close();
      }
    },
    async cleanup(space) {
      const nc = await natsConnect({ servers: '127.0.0.1:4222' });
      await (await nc.jetstreamManager()).streams.delete(space.stream).catch(() => {});
      await nc.close();
    },
  },
  {
    name: 'mqtt',
    trigger: (space) =>
      node('t', 'trigger.mqtt', { connection: 'mqtt', topic: `${space.topicPrefix}/picks/#` }),
    async prepare() {},
    async consuming(_space, deployer, flowId) {
      return (
        (await deployer.redis.exists(deployer.keys.triggerLock(`mqtt-trigger:${flowId}:t`))) === 1
      );
    },
    async publish(space, events) {
      const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
      for (const pickId of events) {
        await client.publishAsync(`${space.topicPrefix}/picks/dc1`, JSON.stringify({ pickId }), {
          qos: 1,
        });
      }
      await client.endAsync();
    },
    // Mosquitto does not say what a session holds; every effect seen (checked below) is enough.
    drained: async () => true,
    async cleanup() {},
  },
];

describe.each(kinds)('worker killed between a $name message and its ack', (kind) => {
  const flowId = `kill-${kind.name}`;
  const prefix = uniquePrefix(`transports-kill-${kind.name}`);
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
    space = brokerSpace(`kill-${kind.name}`, {
      api: { system: 'wms', baseUrl: downstream.server.url, allowPrivateNetwork: true },
    });
    await kind.prepare(space);
    deployer = testRuntime({ prefix, flowsDir: space.flowsDir, env: BROKER_SECRETS });
    await deployer.flows.deploy(
      flowDoc(
        flowId,
        [
          kind.trigger(space),
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
    if (space) await kind.cleanup(space);
    space?.remove();
    await cleanRedis(prefix);
  });

  it('redelivers to the next worker; one run and one business effect per event', async () => {
    const doomed = worker({ CROSSDOCK_FAULTS: 'intake:after-record@3' });
    await eventually(() => kind.consuming(space, deployer, flowId), 60_000);
    const events = Array.from({ length: EVENTS }, (_, i) => `${kind.name.toUpperCase()}${i + 1}`);
    // The first event alone, again every 2 s until its run is recorded: the lock (MQTT) is taken
    // before the session has subscribed, and a broker keeps nothing for a subscription that does
    // not exist yet. Repeats are the same event (one key, one run); each counts as an intake.
    const recorded = async () =>
      (await deployer.runs.list({ flow: flowId, limit: 1 })).runs.length > 0;
    await eventually(async () => {
      await kind.publish(space, events.slice(0, 1));
      const until = Date.now() + 2_000;
      while (Date.now() < until) {
        if (await recorded()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    }, 60_000).catch((error: unknown) => {
      throw new Error(
        `${String(error)}: the first event was never taken\n${doomed.output().slice(-4000)}`,
      );
    });
    await kind.publish(space, events.slice(1));
    // The third intake records its run and the process dies before the ack.
    expect(await doomed.exited).not.toBe(0);
    const next = worker();
    await eventually(
      () => events.every((e) => (downstream.effects.get(e) ?? 0) >= 1),
      60_000,
    ).catch((error: unknown) => {
      const missing = events.filter((e) => !downstream.effects.get(e));
      throw new Error(
        `${String(error)}: no effect for ${missing.join(', ')}\n${next.output().slice(-4000)}`,
      );
    });
    await eventually(() => kind.drained(space), 30_000);
    for (const e of events) {
      // One business effect: every delivery of an event carries one and the same key.
      expect(downstream.keys.get(e)?.size, e).toBe(1);
    }
    // The redelivered message was the same run: one run per event, none twice.
    const runs = (await deployer.runs.list({ flow: flowId, limit: 100 })).runs;
    expect(runs).toHaveLength(EVENTS);
    const total = [...downstream.effects.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(EVENTS + 4);
  }, 120_000);
});
