import type { MqttClient } from 'mqtt';
import { connectMqtt } from '../mqtt';
import { pause, reconnecting, type TriggerAdapter } from './trigger-adapter';

const LOCK_TTL_MS = 15_000;

/**
 * MQTT subscription at QoS 1 with a persistent session: the client id is the flow's and node's,
 * so one worker process at a time may hold it (a Redis lock; the others wait to take over). The
 * PUBACK of a message goes only after the intake accepted it: mqtt.js sends it when
 * `handleMessage` calls back, and a message never acked is resent by the broker on reconnect.
 */
export const mqttTriggerAdapter: TriggerAdapter<'mqtt'> = {
  type: 'trigger.mqtt',
  kind: 'mqtt',
  async run(start) {
    const { config, signal } = start;
    const topic = String(config.topic);
    const lockKey = `mqtt-trigger:${start.flowId}:${start.nodeId}`;
    const target = await start.target();
    while (!signal.aborted) {
      if (!(await start.lock(lockKey, LOCK_TTL_MS).catch(() => false))) {
        await pause(2_000, signal);
        continue;
      }
      const held = new AbortController();
      const renew = setInterval(() => {
        start.lock(lockKey, LOCK_TTL_MS).then(
          (ok) => {
            if (!ok) held.abort();
          },
          () => held.abort(),
        );
      }, LOCK_TTL_MS / 3);
      const stop = () => held.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await reconnecting(held.signal, target.log, (connected) =>
          session(start, topic, held.signal, connected),
        );
      } finally {
        clearInterval(renew);
        signal.removeEventListener('abort', stop);
        await start.unlock(lockKey).catch(() => {});
      }
    }
  },
};

async function session(
  start: Parameters<TriggerAdapter<'mqtt'>['run']>[0],
  topic: string,
  signal: AbortSignal,
  connected: () => void,
): Promise<void> {
  const client: MqttClient = await connectMqtt(
    await start.target(),
    {
      clientId: `crossdock-${start.flowId}-${start.nodeId}`.slice(0, 128),
      clean: false,
      // mqtt.js reconnects and resubscribes by itself; a session ends only when we end it.
      reconnectPeriod: 500,
    },
    // Before CONNACK: the broker resends what the last holder of the session left unacked.
    (packet, callback) => {
      start.intake(packet.payload as Uint8Array, undefined).then(
        () => callback(),
        () => {
          // Stopping: no PUBACK; the broker resends it to the next holder of the session.
        },
      );
    },
  );
  try {
    await client.subscribeAsync(topic, { qos: 1 });
    connected();
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}
