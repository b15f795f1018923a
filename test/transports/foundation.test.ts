import { randomUUID } from 'node:crypto';
import type { Environment } from '@crossdock/nodes';
import type { NotSentRequest } from '@crossdock/runtime';
import {
  createKeys,
  createLogger,
  createSecrets,
  RateLimiter,
  Redactor,
  stepCapability,
  TransportPool,
} from '@crossdock/runtime/testing';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanRedis, uniquePrefix, until } from '../runtime/helpers';

/**
 * The transport foundation, kind-independent: the network guard, the shared rate limit and the
 * safe-test-run recording wrap every adapter's operations. Shown on MQTT (Mosquitto on 1883,
 * a topic prefix of its own); the broker tests cover each kind's own behaviour.
 */

const prefix = uniquePrefix('transport-foundation');
const topic = `cdtest/${randomUUID().slice(0, 8)}/out`;
const redis = new Redis('redis://127.0.0.1:6379');
const redactor = new Redactor([]);
const log = createLogger('silent', redactor);
const environment: Environment = {
  name: 'test',
  connections: {
    local: { kind: 'mqtt', system: 'wms', host: '127.0.0.1', allowPrivateNetwork: true },
    guarded: { kind: 'mqtt', system: 'wms', host: '127.0.0.1' },
    metadata: { kind: 'amqp', system: 'wms', host: '169.254.169.254' },
    limited: {
      kind: 'mqtt',
      system: 'wms',
      host: 'localhost',
      allowPrivateNetwork: true,
      rateLimit: { max: 1, windowMs: 600_000 },
    },
    nowhere: { kind: 'nats', system: 'tms', host: '127.0.0.1', port: 1, allowPrivateNetwork: true },
    erp: { system: 'erp', baseUrl: 'http://127.0.0.1:1' },
  },
};
const pool = new TransportPool(
  environment,
  createSecrets(undefined, {}, redactor, environment),
  log,
);
const limiter = new RateLimiter(redis, createKeys(prefix), Date.now);
let subscriber: mqtt.MqttClient;
const received: string[] = [];

beforeAll(async () => {
  subscriber = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
  subscriber.on('message', (_t, payload) => received.push(payload.toString()));
  await subscriber.subscribeAsync(topic, { qos: 1 });
});

afterAll(async () => {
  await subscriber.endAsync();
  await pool.close();
  redis.disconnect();
  await cleanRedis(prefix);
});

function capability<K extends 'mqtt' | 'amqp' | 'nats'>(
  name: string,
  kind: K,
  signal = new AbortController().signal,
) {
  return stepCapability<K>({ pool, limiter, connection: pool.connection(name, kind), signal });
}

describe('transport foundation', () => {
  it('publishes through the pooled client of the connection', async () => {
    const mqttCap = capability('local', 'mqtt');
    await mqttCap.publish({ topic, body: '{"n":1}', qos: 1 });
    await capability('local', 'mqtt').publish({ topic, body: '{"n":2}', qos: 1 });
    await until(() => received.length === 2, 'both messages', { timeoutMs: 5_000 });
    expect(received).toEqual(['{"n":1}', '{"n":2}']);
    expect(await pool.client(pool.connection('local', 'mqtt'))).toBe(
      await pool.client(pool.connection('local', 'mqtt')),
    );
  });

  it('refuses loopback and link-local hosts without allowPrivateNetwork, permanently', async () => {
    for (const [name, kind] of [
      ['guarded', 'mqtt'],
      ['metadata', 'amqp'],
    ] as const) {
      const failure = capability(name, kind)
        .publish({ topic, body: '{}', qos: 1, exchange: '', routingKey: 'x' } as never)
        .catch((e: unknown) => e);
      await expect(failure).resolves.toMatchObject({
        name: 'PermanentError',
        code: 'forbidden-host',
      });
    }
  });

  it('names a missing connection and a connection of another kind', () => {
    expect(() => pool.connection('absent', 'amqp')).toThrow(/has no connection "absent"/);
    expect(() => pool.connection('erp', 'amqp')).toThrow(/is of kind http, not amqp/);
    expect(() => pool.connection('local', 'nats')).toThrow(/is of kind mqtt, not nats/);
  });

  it('classifies a broker that does not answer as transient', async () => {
    const failure = await capability('nowhere', 'nats')
      .publish({ subject: 'x', body: '{}' })
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TransientError', code: 'network' });
  });

  it('holds an operation over the rate limit until its window, and lets the step abort it', async () => {
    await capability('limited', 'mqtt').publish({ topic, body: '{"limited":1}', qos: 1 });
    const controller = new AbortController();
    const waiting = capability('limited', 'mqtt', controller.signal)
      .publish({ topic, body: '{"limited":2}', qos: 1 })
      .then(
        () => 'sent',
        () => 'aborted',
      );
    // The second publish waits for a window ten minutes away; the step's timeout ends it.
    setTimeout(() => controller.abort(new Error('step timeout')), 300);
    expect(await waiting).toBe('aborted');
    await until(() => received.includes('{"limited":1}'), 'the limited message', {
      timeoutMs: 5_000,
    });
    expect(received).not.toContain('{"limited":2}');
  });

  it('records instead of sending in a safe test run, for every broker kind', async () => {
    const notSent: NotSentRequest[] = [];
    const dry = <K extends 'mqtt' | 'amqp' | 'nats'>(kind: K) =>
      stepCapability<K>({
        pool,
        limiter,
        connection: { ...pool.connection('nowhere', 'nats'), kind } as never,
        signal: new AbortController().signal,
        notSent,
      });
    expect(
      await dry('nats').publish({ subject: 'wms.pick', body: '{"pick":1}', msgId: 'k' }),
    ).toEqual({ stream: '(not sent)', seq: 0, duplicate: false });
    await dry('amqp').publish({ exchange: 'wms', routingKey: 'pick.done', body: 'text' });
    await dry('mqtt').publish({ topic: 'wms/pick', body: '{"pick":3}', qos: 1 });
    expect(notSent).toEqual([
      { method: 'PUBLISH', url: 'nats://nowhere/wms.pick', body: { pick: 1 } },
      { method: 'PUBLISH', url: 'amqp://nowhere/wms/pick.done', body: 'text' },
      { method: 'PUBLISH', url: 'mqtt://nowhere/wms/pick', body: { pick: 3 } },
    ]);
  });
});
