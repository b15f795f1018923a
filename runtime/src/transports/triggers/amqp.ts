import type { ConsumeMessage } from 'amqplib';
import { connectAmqp } from '../amqp';
import { reconnecting, type TriggerAdapter } from './trigger-adapter';

interface Binding {
  exchange: string;
  exchangeType?: string;
  routingKey: string;
}

/**
 * RabbitMQ queue consumer: declares the queue and its bindings, consumes with manual acks and
 * `prefetch`, acks after the intake accepted, nacks without requeue what can never run. Unacked
 * messages go back to the queue when the connection drops (a crash, a lost broker).
 */
export const amqpTriggerAdapter: TriggerAdapter<'amqp'> = {
  type: 'trigger.amqp',
  kind: 'amqp',
  async run(start) {
    const { config, signal } = start;
    const queue = String(config.queue);
    const bindings = (Array.isArray(config.bindings)
      ? config.bindings
      : []) as unknown as Binding[];
    const prefetch = typeof config.prefetch === 'number' ? config.prefetch : 10;
    const target = await start.target();
    await reconnecting(signal, target.log, async (connected) => {
      const model = await connectAmqp(await start.target());
      const lost = new Promise<void>((resolve) => model.once('close', () => resolve()));
      const onAbort = () => {
        model.close().catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const channel = await model.createChannel();
        channel.on('error', () => {});
        await channel.prefetch(prefetch);
        await channel.assertQueue(queue, {
          durable: true,
          ...(typeof config.deadLetterExchange === 'string'
            ? { deadLetterExchange: config.deadLetterExchange }
            : {}),
        });
        for (const b of bindings) {
          await channel.assertExchange(b.exchange, b.exchangeType ?? 'topic', { durable: true });
          await channel.bindQueue(queue, b.exchange, b.routingKey);
        }
        await channel.consume(
          queue,
          (message: ConsumeMessage | null) => {
            if (!message) return; // cancelled by the broker (queue deleted): the close follows
            start.intake(message.content, message.properties.messageId as string | undefined).then(
              (outcome) => {
                if (outcome === 'accepted') channel.ack(message);
                else channel.nack(message, false, false);
              },
              // Stopping: left unacked, the broker gives it to another consumer.
              () => {},
            );
          },
          { noAck: false },
        );
        connected();
        await lost;
      } finally {
        signal.removeEventListener('abort', onAbort);
        await model.close().catch(() => {});
      }
    });
  },
};
