import type { IClientOptions, MqttClient } from 'mqtt';
import type { TransportAdapter, TransportTarget } from './adapter';
import { clientLibrary } from './client-library';
import { recordedBody, tlsOptions } from './tls';

/** MQTT client options for the checked address, with the connection's auth and TLS. */
export function mqttOptions(
  target: TransportTarget<'mqtt'>,
  extra: IClientOptions,
): { url: string; options: IClientOptions } {
  const c = target.connection;
  const tls = tlsOptions(c.tls, target);
  const auth = c.auth;
  return {
    url: `${tls ? 'mqtts' : 'mqtt'}://${target.address}:${target.port}`,
    options: {
      protocolVersion: c.protocolVersion ?? 4,
      connectTimeout: c.timeoutMs ?? 10_000,
      reconnectPeriod: 500,
      ...(tls ?? {}),
      ...(auth?.type === 'basic'
        ? {
            username: target.secret(auth.usernameSecret),
            password: target.secret(auth.passwordSecret),
          }
        : {}),
      ...extra,
    },
  };
}

/**
 * Connects and waits for the broker's CONNACK (rejects when the first attempt fails).
 * `handleMessage` is installed before the connection opens: a persistent session's broker
 * resends unacknowledged messages right after CONNACK, and mqtt.js's default handler would
 * acknowledge them unseen (lost) if ours came later.
 */
export async function connectMqtt(
  target: TransportTarget<'mqtt'>,
  extra: IClientOptions,
  handleMessage?: MqttClient['handleMessage'],
): Promise<MqttClient> {
  const { url, options } = mqttOptions(target, extra);
  const { connect } = await clientLibrary(import('mqtt'));
  const client = connect(url, options);
  if (handleMessage) client.handleMessage = handleMessage;
  await new Promise<void>((resolve, reject) => {
    const onConnect = () => done();
    const onEnd = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(new Error("Couldn't connect to server"));
    const done = (error?: Error) => {
      client.off('connect', onConnect);
      client.off('end', onEnd);
      client.off('error', onError);
      client.off('close', onClose);
      if (!error) {
        resolve();
        return;
      }
      client.end(true);
      reject(error);
    };
    client.on('connect', onConnect);
    client.on('end', onEnd);
    client.on('error', onError);
    client.on('close', onClose);
  });
  client.on('error', (error) => target.log.warn({ err: error.message }, 'mqtt client error'));
  return client;
}

/**
 * MQTT through mqtt.js: one client per connection; a publish resolves on the broker's
 * acknowledgment for its QoS. While the broker is away mqtt.js keeps QoS 1/2 messages and
 * sends them on reconnect, so the step's timeout decides how long a publish may wait.
 */
export const mqttAdapter: TransportAdapter<'mqtt'> = {
  kind: 'mqtt',
  operations: ['publish'],
  async open(target) {
    const client = await connectMqtt(target, {
      clientId: `crossdock-pub-${target.connection.name}-${process.pid}-${Date.now().toString(36)}`,
      clean: true,
    });
    return {
      healthy: () => !client.disconnecting && !client.disconnected,
      close: () => client.endAsync().catch(() => {}),
      capability: {
        async publish(message) {
          await client.publishAsync(message.topic, message.body, {
            qos: message.qos,
            retain: message.retain === true,
          });
          return { topic: message.topic, qos: message.qos };
        },
      },
    };
  },
  dryRun(connection, record) {
    return {
      async publish(message) {
        record({
          method: 'PUBLISH',
          url: `mqtt://${connection.name}/${message.topic}`,
          body: recordedBody(message.body),
        });
        return { topic: message.topic, qos: message.qos };
      },
    };
  },
};
