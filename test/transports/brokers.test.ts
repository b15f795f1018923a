import type { Runtime } from '@crossdock/runtime';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { AckPolicy, type NatsConnection, connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  httpNode,
  node,
  startTestServer,
  type TestServer,
  testRuntime,
  uniquePrefix,
} from '../runtime/helpers';
import { BROKER_SECRETS, type BrokerSpace, brokerSpace, eventually } from './broker-kit';

/**
 * Each broker trigger and connector end to end on the machine's RabbitMQ, NATS and Mosquitto:
 * a message on the broker starts a run that calls a counting HTTP downstream; a flow's publish
 * node puts a message on the broker that a plain client reads back. Repeats of the same event
 * are one run (the flow's idempotency key).
 */

const prefix = uniquePrefix('transports');
let space: BrokerSpace;
let server: TestServer;
let runtime: Runtime;
let nc: NatsConnection;

/** Effects at the downstream per pick id. */
function effects(id: string): number {
  return server.calls.get(`/effects?pick=${id}`) ?? 0;
}

function consumingFlow(id: string, trigger: ReturnType<typeof node>) {
  return flowDoc(
    id,
    [trigger, httpNode('call', '/effects?pick={{pickId}}')],
    [edge(trigger.id, 'call')],
    { idempotencyKey: { var: 'pickId' } },
  );
}

beforeAll(async () => {
  server = await startTestServer();
  space = brokerSpace('brokers', {
    api: { system: 'http', baseUrl: server.url, allowPrivateNetwork: true },
  });
  nc = await natsConnect({ servers: '127.0.0.1:4222' });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: space.stream, subjects: [`${space.stream}.>`] });
  runtime = testRuntime({
    prefix,
    flowsDir: space.flowsDir,
    env: { ...BROKER_SECRETS, CROSSDOCK_TRIGGER_FOLLOW_MS: '200' },
  });
  runtime.startWorker(4);
});

afterAll(async () => {
  await runtime?.close();
  const jsm = await nc?.jetstreamManager();
  await jsm?.streams.delete(space.stream).catch(() => {});
  await nc?.close();
  await server?.close();
  space?.remove();
  await cleanRedis(prefix);
});

describe('broker triggers', () => {
  it('RabbitMQ: declares the queue and its binding, one run per event, repeats deduplicated', async () => {
    const flow = consumingFlow(
      'amqp-picks',
      node('t', 'trigger.amqp', {
        connection: 'rabbit',
        queue: 'picks',
        bindings: [{ exchange: 'wms.events', routingKey: 'pick.completed.*' }],
      }),
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    const conn = await amqp.connect({ hostname: '127.0.0.1', vhost: space.vhost });
    // A failed check closes its channel: each probe gets a fresh one.
    const exists = async (check: (ch: amqp.Channel) => Promise<unknown>) => {
      const probe = await conn.createChannel();
      probe.on('error', () => {});
      const ok = await check(probe).then(
        () => true,
        () => false,
      );
      if (ok) await probe.close();
      return ok;
    };
    // The trigger consumes only after it declared the queue, the exchange and the binding.
    await eventually(() =>
      exists(async (ch) => {
        const q = await ch.checkQueue('picks');
        if (q.consumerCount < 1) throw new Error('no consumer yet');
      }),
    );
    const ch2 = await conn.createConfirmChannel();
    for (const pickId of ['A1', 'A2', 'A1']) {
      ch2.publish('wms.events', 'pick.completed.DC1', Buffer.from(JSON.stringify({ pickId })));
    }
    await ch2.waitForConfirms();
    await eventually(() => effects('A1') === 1 && effects('A2') === 1);
    // Nothing left unacknowledged or waiting on the queue.
    await eventually(async () => (await ch2.checkQueue('picks')).messageCount === 0);
    const q = await ch2.checkQueue('picks');
    expect(q.messageCount).toBe(0);
    expect(effects('A1')).toBe(1);
    await conn.close();
  });

  it('NATS: a durable consumer on a stream, acknowledged after the run is recorded', async () => {
    const flow = consumingFlow(
      'nats-picks',
      node('t', 'trigger.nats', {
        connection: 'nats',
        stream: space.stream,
        consumer: 'picks',
        filterSubject: `${space.stream}.picks.>`,
      }),
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    const js = nc.jetstream();
    const enc = new TextEncoder();
    for (const pickId of ['N1', 'N2', 'N1']) {
      await js.publish(`${space.stream}.picks.dc1`, enc.encode(JSON.stringify({ pickId })));
    }
    await eventually(() => effects('N1') === 1 && effects('N2') === 1);
    const jsm = await nc.jetstreamManager();
    await eventually(async () => {
      const info = await jsm.consumers.info(space.stream, 'picks');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    const info = await jsm.consumers.info(space.stream, 'picks');
    expect(info.config.ack_policy).toBe(AckPolicy.Explicit);
    expect(effects('N1')).toBe(1);
  });

  it('MQTT: a QoS 1 subscription, one run per event', async () => {
    const topic = `${space.topicPrefix}/picks/+`;
    const flow = consumingFlow(
      'mqtt-picks',
      node('t', 'trigger.mqtt', { connection: 'mqtt', topic }),
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    // The persistent session exists once the trigger subscribed: wait for the lock it takes.
    await eventually(
      async () =>
        (await runtime.redis.exists(runtime.keys.triggerLock('mqtt-trigger:mqtt-picks:t'))) === 1,
    );
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    await new Promise((r) => setTimeout(r, 300));
    for (const pickId of ['M1', 'M2', 'M1']) {
      await client.publishAsync(`${space.topicPrefix}/picks/dc1`, JSON.stringify({ pickId }), {
        qos: 1,
      });
    }
    await eventually(() => effects('M1') === 1 && effects('M2') === 1);
    await client.endAsync();
  });

  it('rejects a body that is not JSON instead of blocking the queue', async () => {
    const conn = await amqp.connect({ hostname: '127.0.0.1', vhost: space.vhost });
    const ch = await conn.createConfirmChannel();
    ch.publish('wms.events', 'pick.completed.DC2', Buffer.from('not json'));
    ch.publish('wms.events', 'pick.completed.DC2', Buffer.from(JSON.stringify({ pickId: 'A3' })));
    await ch.waitForConfirms();
    await eventually(() => effects('A3') === 1);
    await eventually(async () => (await ch.checkQueue('picks')).messageCount === 0);
    await conn.close();
  });
});

describe('broker connectors', () => {
  it('publishes to RabbitMQ with routing key, headers and the step key as message id', async () => {
    const conn = await amqp.connect({ hostname: '127.0.0.1', vhost: space.vhost });
    const ch = await conn.createChannel();
    await ch.assertExchange('tms', 'topic', { durable: true });
    await ch.assertQueue('tendered', { durable: true });
    await ch.bindQueue('tendered', 'tms', 'shipment.tendered');
    const flow = flowDoc(
      'amqp-publish',
      [
        node('in', 'trigger.manual'),
        node('pub', 'connector.amqp-publish', {
          connection: 'rabbit',
          exchange: 'tms',
          routingKey: { cat: ['shipment.', { var: 'status' }] },
          headers: { 'x-source': 'crossdock' },
        }),
      ],
      [edge('in', 'pub')],
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    const started = await runtime.service.start({
      flowId: 'amqp-publish',
      payload: { shipmentId: 'SH-1', status: 'tendered' },
    });
    let got: amqp.GetMessage | false = false;
    await eventually(async () => {
      got = await ch.get('tendered', { noAck: true });
      return got !== false;
    });
    const message = got as unknown as amqp.GetMessage;
    expect(JSON.parse(message.content.toString())).toEqual({
      shipmentId: 'SH-1',
      status: 'tendered',
    });
    expect(message.properties.headers?.['x-source']).toBe('crossdock');
    expect(message.properties.messageId).toContain(started.runId);
    expect(message.properties.deliveryMode).toBe(2);
    await conn.close();
  });

  it('fails a RabbitMQ publish no queue would take, permanently', async () => {
    const flow = flowDoc(
      'amqp-unroutable',
      [
        node('in', 'trigger.manual'),
        node('pub', 'connector.amqp-publish', {
          connection: 'rabbit',
          exchange: 'tms',
          routingKey: 'nobody.listens',
        }),
      ],
      [edge('in', 'pub')],
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    const started = await runtime.service.start({ flowId: 'amqp-unroutable', payload: {} });
    const { waitForRun } = await import('../runtime/helpers');
    const run = await waitForRun(runtime, started.runId);
    expect(run.status).toBe('failed');
    const step = run.steps.find((s) => s.nodeId === 'pub');
    expect(step?.error).toMatchObject({ errorClass: 'permanent', code: 'invalid-config' });
  });

  it('publishes to JetStream with the step key as Nats-Msg-Id (a repeat is a duplicate)', async () => {
    const flow = flowDoc(
      'nats-publish',
      [
        node('in', 'trigger.manual'),
        node('pub', 'connector.nats-publish', {
          connection: 'nats',
          subject: { cat: [`${space.stream}.out.`, { var: 'code' }] },
          output: 'receipt',
        }),
      ],
      [edge('in', 'pub')],
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    const started = await runtime.service.start({
      flowId: 'nats-publish',
      payload: { code: 'D1' },
    });
    const { waitForRun } = await import('../runtime/helpers');
    const run = await waitForRun(runtime, started.runId);
    expect(run.status).toBe('succeeded');
    const jsm = await nc.jetstreamManager();
    const stored = await jsm.streams.getMessage(space.stream, {
      last_by_subj: `${space.stream}.out.D1`,
    });
    expect(JSON.parse(new TextDecoder().decode(stored.data))).toEqual({ code: 'D1' });
    const msgId = stored.header?.get('Nats-Msg-Id') ?? '';
    expect(msgId).toContain(started.runId);
    // The same step published again (a retry after a lost ack) is dropped by the stream.
    const again = await nc
      .jetstream()
      .publish(`${space.stream}.out.D1`, stored.data, { msgID: msgId });
    expect(again.duplicate).toBe(true);
  });

  it('publishes to MQTT at QoS 1', async () => {
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const seen: string[] = [];
    client.on('message', (_t, payload) => seen.push(payload.toString()));
    await client.subscribeAsync(`${space.topicPrefix}/dock/#`, { qos: 1 });
    const flow = flowDoc(
      'mqtt-publish',
      [
        node('in', 'trigger.manual'),
        node('pub', 'connector.mqtt-publish', {
          connection: 'mqtt',
          topic: { cat: [`${space.topicPrefix}/dock/`, { var: 'door' }] },
          qos: 1,
        }),
      ],
      [edge('in', 'pub')],
    );
    await runtime.flows.deploy(flow, 'test', new Date());
    await runtime.service.start({
      flowId: 'mqtt-publish',
      payload: { door: 'D4', status: 'loading' },
    });
    await eventually(() => seen.length === 1);
    expect(JSON.parse(seen[0] ?? '')).toEqual({ door: 'D4', status: 'loading' });
    await client.endAsync();
  });
});
