import amqp from 'amqplib';
import type { EventOutlet } from '../kernel/webhooks';

export interface EventBrokerOptions {
  /** `amqp://user:password@host:port/vhost`. */
  url: string;
  /** A durable topic exchange, declared when missing. */
  exchange: string;
  /** The routing key of one event body. */
  routingKey(body: unknown): string;
}

/**
 * A system publishing its events to RabbitMQ (with publisher confirms), as a WMS with a message
 * bus does. Connects on the first event and again after a lost connection; an event that cannot
 * be published is a failed delivery in `/_control/sent`, not retried (the webhook still goes).
 */
export class EventBroker {
  private channel: Promise<amqp.ConfirmChannel> | undefined;
  private connection: amqp.ChannelModel | undefined;

  constructor(private readonly options: EventBrokerOptions) {}

  /** Connects now: rejects when the broker is not reachable (the caller reports it once). */
  async check(): Promise<void> {
    await this.open();
  }

  outlet(): EventOutlet {
    return {
      mode: 'also',
      name: `amqp ${this.options.exchange}`,
      send: async ({ eventId, body }) => {
        if (!('json' in body)) throw new Error('only JSON events are published');
        const channel = await this.open();
        channel.publish(
          this.options.exchange,
          this.options.routingKey(body.json),
          Buffer.from(JSON.stringify(body.json)),
          { contentType: 'application/json', messageId: eventId, persistent: true },
        );
        await channel.waitForConfirms();
      },
    };
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.channel = undefined;
    this.connection = undefined;
    await connection?.close().catch(() => {});
  }

  private open(): Promise<amqp.ConfirmChannel> {
    this.channel ??= (async () => {
      const connection = await amqp.connect(this.options.url, { timeout: 3_000 });
      const forget = () => {
        if (this.connection === connection) {
          this.connection = undefined;
          this.channel = undefined;
        }
      };
      connection.on('error', () => {});
      connection.on('close', forget);
      this.connection = connection;
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => {});
      await channel.assertExchange(this.options.exchange, 'topic', { durable: true });
      return channel;
    })().catch((error: unknown) => {
      this.channel = undefined;
      throw error;
    });
    return this.channel;
  }
}
