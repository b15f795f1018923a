import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import type { Runtime } from '@crossdock/runtime';
import amqp from 'amqplib';
import mqtt from 'mqtt';
import { connect as natsConnect } from 'nats';
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
import {
  BROKER_SECRETS,
  type BrokerSpace,
  brokerSpace,
  eventually,
  writeEnvironment,
} from './broker-kit';

/**
 * The broker goes away under a consuming trigger: a loopback TCP proxy between the runtime and
 * RabbitMQ is cut (every connection dropped, new ones refused) and later restored. The shared
 * broker is never stopped. Messages published during the outage, and those the trigger held
 * unacknowledged when it was cut, all run once after it reconnects; nothing acknowledged is lost.
 */

class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and stops listening: the broker is unreachable. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

const prefix = uniquePrefix('transports-outage');
let space: BrokerSpace;
let server: TestServer;
let runtime: Runtime;
const proxy = new CuttableProxy(5672);
const natsProxy = new CuttableProxy(4222);
const mqttProxy = new CuttableProxy(1883);

function effects(id: string): number {
  return server.calls.get(`/effects?pick=${id}`) ?? 0;
}

beforeAll(async () => {
  server = await startTestServer();
  await proxy.open();
  await natsProxy.open();
  await mqttProxy.open();
  space = brokerSpace('outage');
  writeEnvironment(space, {
    api: { system: 'http', baseUrl: server.url, allowPrivateNetwork: true },
    proxied: {
      kind: 'amqp',
      system: 'wms',
      host: '127.0.0.1',
      port: proxy.port,
      vhost: space.vhost,
      allowPrivateNetwork: true,
      auth: { type: 'basic', usernameSecret: 'RABBIT_USER', passwordSecret: 'RABBIT_PASSWORD' },
    },
    proxiedNats: {
      kind: 'nats',
      system: 'tms',
      host: '127.0.0.1',
      port: natsProxy.port,
      allowPrivateNetwork: true,
    },
    proxiedMqtt: {
      kind: 'mqtt',
      system: 'wms',
      host: '127.0.0.1',
      port: mqttProxy.port,
      allowPrivateNetwork: true,
    },
  });
  const nc = await natsConnect({ servers: '127.0.0.1:4222' });
  await (await nc.jetstreamManager()).streams.add({
    name: space.stream,
    subjects: [`${space.stream}.>`],
  });
  await nc.close();
  runtime = testRuntime({
    prefix,
    flowsDir: space.flowsDir,
    env: { ...BROKER_SECRETS, CROSSDOCK_TRIGGER_FOLLOW_MS: '200' },
  });
  runtime.startWorker(4);
});

afterAll(async () => {
  await runtime?.close();
  await proxy.cut();
  await natsProxy.cut();
  await mqttProxy.cut();
  const nc = await natsConnect({ servers: '127.0.0.1:4222' });
  await (await nc.jetstreamManager()).streams.delete(space.stream).catch(() => {});
  await nc.close();
  await server?.close();
  space?.remove();
  await cleanRedis(prefix);
});

describe('broker unavailable under a trigger', () => {
  it('reconnects and runs every message once, those held and those sent meanwhile', async () => {
    const trigger = node('t', 'trigger.amqp', {
      connection: 'proxied',
      queue: 'picks',
      bindings: [{ exchange: 'wms.events', routingKey: 'pick.#' }],
    });
    await runtime.flows.deploy(
      flowDoc(
        'outage-picks',
        [trigger, httpNode('call', '/effects?pick={{pickId}}')],
        [edge('t', 'call')],
        { idempotencyKey: { var: 'pickId' } },
      ),
      'test',
      new Date(),
    );
    // The test publishes straight to the broker, past the proxy.
    const conn = await amqp.connect({ hostname: '127.0.0.1', vhost: space.vhost });
    const consumers = async () => {
      const probe = await conn.createChannel();
      probe.on('error', () => {});
      const q = await probe.checkQueue('picks').catch(() => null);
      if (q) await probe.close();
      return q;
    };
    await eventually(async () => ((await consumers())?.consumerCount ?? 0) >= 1);
    const ch = await conn.createConfirmChannel();
    const publish = async (ids: string[]) => {
      for (const pickId of ids) {
        ch.publish('wms.events', 'pick.done', Buffer.from(JSON.stringify({ pickId })), {
          persistent: true,
        });
      }
      await ch.waitForConfirms();
    };
    await publish(['B1', 'B2', 'B3']);
    await eventually(() => effects('B1') + effects('B2') + effects('B3') === 3);

    await proxy.cut();
    await eventually(async () => (await consumers())?.consumerCount === 0);
    await publish(['B4', 'B5', 'B6', 'B3']);
    await proxy.open();

    await eventually(() => ['B4', 'B5', 'B6'].every((id) => effects(id) === 1), 30_000);
    await eventually(async () => (await consumers())?.messageCount === 0);
    for (const id of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6']) expect(effects(id)).toBe(1);
    await conn.close();
  }, 60_000);

  /** Deploys a one-trigger flow calling the counting server with each message's pickId. */
  async function deploy(id: string, trigger: ReturnType<typeof node>): Promise<void> {
    await runtime.flows.deploy(
      flowDoc(id, [trigger, httpNode('call', '/effects?pick={{pickId}}')], [edge('t', 'call')], {
        idempotencyKey: { var: 'pickId' },
      }),
      'test',
      new Date(),
    );
  }

  it('NATS JetStream: reconnects; nothing acknowledged is lost, every message runs once', async () => {
    await deploy(
      'outage-nats',
      node('t', 'trigger.nats', {
        connection: 'proxiedNats',
        stream: space.stream,
        consumer: 'outage',
        filterSubject: `${space.stream}.picks.>`,
        ackWaitMs: 2_000,
      }),
    );
    // Published straight to NATS, past the proxy.
    const nc = await natsConnect({ servers: '127.0.0.1:4222' });
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const enc = new TextEncoder();
    const publish = async (ids: string[]) => {
      for (const pickId of ids) {
        await js.publish(`${space.stream}.picks.dc1`, enc.encode(JSON.stringify({ pickId })));
      }
    };
    await eventually(async () => {
      const info = await jsm.consumers.info(space.stream, 'outage').catch(() => null);
      return (info?.num_waiting ?? 0) > 0;
    });
    await publish(['N1', 'N2', 'N3']);
    await eventually(() => effects('N1') + effects('N2') + effects('N3') === 3);

    await natsProxy.cut();
    await publish(['N4', 'N5', 'N6', 'N3']);
    await new Promise((r) => setTimeout(r, 1_000));
    await natsProxy.open();

    await eventually(() => ['N4', 'N5', 'N6'].every((id) => effects(id) === 1), 30_000);
    await eventually(async () => {
      const info = await jsm.consumers.info(space.stream, 'outage');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    for (const id of ['N1', 'N2', 'N3', 'N4', 'N5', 'N6']) expect(effects(id)).toBe(1);
    await nc.close();
  }, 60_000);

  it('MQTT QoS 1: reconnects to its session; what was sent meanwhile runs once', async () => {
    await deploy(
      'outage-mqtt',
      node('t', 'trigger.mqtt', {
        connection: 'proxiedMqtt',
        topic: `${space.topicPrefix}/outage/+`,
      }),
    );
    await eventually(
      async () =>
        (await runtime.redis.exists(runtime.keys.triggerLock('mqtt-trigger:outage-mqtt:t'))) === 1,
    );
    await new Promise((r) => setTimeout(r, 500)); // the subscription after the lock
    // Published straight to Mosquitto, past the proxy.
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    const publish = async (ids: string[]) => {
      for (const pickId of ids) {
        await client.publishAsync(`${space.topicPrefix}/outage/dc1`, JSON.stringify({ pickId }), {
          qos: 1,
        });
      }
    };
    await publish(['M1', 'M2', 'M3']);
    await eventually(() => effects('M1') + effects('M2') + effects('M3') === 3);

    await mqttProxy.cut();
    await new Promise((r) => setTimeout(r, 500)); // Mosquitto sees the session go offline
    await publish(['M4', 'M5', 'M6', 'M3']);
    await mqttProxy.open();

    await eventually(() => ['M4', 'M5', 'M6'].every((id) => effects(id) === 1), 30_000);
    for (const id of ['M1', 'M2', 'M3', 'M4', 'M5', 'M6']) expect(effects(id)).toBe(1);
    await client.endAsync();
  }, 60_000);
});
