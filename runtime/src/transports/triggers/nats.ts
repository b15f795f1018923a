import type { JsMsg } from 'nats';
import { clientLibrary } from '../client-library';
import { connectNats } from '../nats';
import { reconnecting, type TriggerAdapter } from './trigger-adapter';

/**
 * JetStream durable consumer: created with explicit acks if missing, pulled by every worker
 * (each message goes to one). A message is acked after the intake accepted it, terminated when
 * it can never run; while the intake waits (back-pressure) the server is told it is in progress.
 */
export const natsTriggerAdapter: TriggerAdapter<'nats'> = {
  type: 'trigger.nats',
  kind: 'nats',
  async run(start) {
    const { config, signal } = start;
    const stream = String(config.stream);
    const durable = String(config.consumer);
    const ackWaitMs = typeof config.ackWaitMs === 'number' ? config.ackWaitMs : 30_000;
    const target = await start.target();
    await reconnecting(signal, target.log, async (connected) => {
      const nc = await connectNats(await start.target(), `crossdock-trigger:${start.flowId}`);
      const onAbort = () => {
        nc.close().catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const jsm = await nc.jetstreamManager();
        const { AckPolicy, nanos } = await clientLibrary(import('nats'));
        const wanted = {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          ack_wait: nanos(ackWaitMs),
          ...(typeof config.filterSubject === 'string'
            ? { filter_subject: config.filterSubject }
            : {}),
        };
        await jsm.consumers.info(stream, durable).catch(() => jsm.consumers.add(stream, wanted));
        const consumer = await nc.jetstream().consumers.get(stream, durable);
        const messages = await consumer.consume({ max_messages: 16 });
        connected();
        const closed = nc.closed().then(() => messages.stop());
        for await (const m of messages) {
          if (signal.aborted) break;
          await deliver(m, start.intake, ackWaitMs);
        }
        await closed.catch(() => {});
        if (!signal.aborted) throw new Error('the NATS connection closed');
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (!nc.isClosed()) await nc.close().catch(() => {});
      }
    });
  },
};

async function deliver(
  m: JsMsg,
  intake: (body: Uint8Array, id?: string) => Promise<string>,
  ackWaitMs: number,
): Promise<void> {
  // Keeps the server from redelivering while the intake waits on back-pressure.
  const working = setInterval(() => m.working(), Math.max(500, Math.floor(ackWaitMs / 3)));
  try {
    const outcome = await intake(m.data, m.headers?.get('Nats-Msg-Id') || undefined);
    if (outcome === 'accepted') await m.ackAck().catch(() => m.ack());
    else m.term();
  } catch {
    // Stopping: left unacknowledged, the server redelivers it after ack_wait.
  } finally {
    clearInterval(working);
  }
}
