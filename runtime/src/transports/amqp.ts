import { randomUUID } from 'node:crypto';
import { type AmqpMessage, PermanentError } from '@crossdock/nodes';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { TransportAdapter, TransportTarget } from './adapter';
import { clientLibrary } from './client-library';
import { recordedBody, tlsOptions } from './tls';

/** The header that ties a returned (unroutable) message to its publish. */
const PUBLISH_ID = 'x-crossdock-publish-id';

/** Opens an AMQP connection to the checked address, with the connection's auth and TLS. */
export async function connectAmqp(target: TransportTarget<'amqp'>): Promise<ChannelModel> {
  const c = target.connection;
  const tls = tlsOptions(c.tls, target);
  const auth = c.auth;
  const user =
    auth?.type === 'basic'
      ? {
          username: target.secret(auth.usernameSecret),
          password: target.secret(auth.passwordSecret),
        }
      : {};
  // Loaded on first use (here and for every kind): a process whose flows use none of them
  // keeps the client libraries out of its memory.
  const { connect, credentials } = await clientLibrary(import('amqplib'));
  const model = await connect(
    {
      protocol: tls ? 'amqps' : 'amqp',
      hostname: target.address,
      port: target.port,
      vhost: c.vhost ?? '/',
      heartbeat: c.heartbeatSeconds ?? 30,
      ...user,
    },
    {
      ...(tls ?? {}),
      timeout: c.timeoutMs ?? 10_000,
      // A client certificate without a password is SASL EXTERNAL.
      ...(auth?.type !== 'basic' && c.tls?.certSecret
        ? { credentials: credentials.external() }
        : {}),
    },
  );
  // Without a listener an unexpected close would be an uncaught 'error'.
  model.on('error', (error: Error) =>
    target.log.warn({ err: error.message }, 'amqp connection error'),
  );
  return model;
}

function isNotFound(error: unknown): boolean {
  return /\bNOT_FOUND\b|\b404\b/.test(error instanceof Error ? error.message : String(error));
}

/**
 * RabbitMQ through amqplib: one connection and one confirm channel per connection per process.
 * A publish resolves on the broker's confirm; unroutable messages (published as mandatory) and
 * a missing exchange reject permanently, a nack or a lost connection transiently.
 */
export const amqpAdapter: TransportAdapter<'amqp'> = {
  kind: 'amqp',
  operations: ['publish'],
  async open(target) {
    const model = await connectAmqp(target);
    let open = true;
    let channel: ConfirmChannel;
    try {
      channel = await model.createConfirmChannel();
    } catch (error) {
      await model.close().catch(() => {});
      throw error;
    }
    let channelError: unknown;
    const returned = new Set<string>();
    model.on('close', () => {
      open = false;
    });
    channel.on('close', () => {
      open = false;
    });
    channel.on('error', (error: unknown) => {
      channelError = error;
    });
    channel.on('return', (message: { properties: { headers?: Record<string, unknown> } }) => {
      const id = message.properties.headers?.[PUBLISH_ID];
      if (typeof id === 'string') returned.add(id);
    });
    return {
      healthy: () => open,
      async close() {
        open = false;
        await channel.close().catch(() => {});
        await model.close().catch(() => {});
      },
      capability: {
        publish(message: AmqpMessage) {
          const id = randomUUID();
          return new Promise((resolve, reject) => {
            channel.publish(
              message.exchange,
              message.routingKey,
              Buffer.from(message.body, 'utf8'),
              {
                mandatory: true,
                persistent: message.persistent !== false,
                contentType: message.contentType ?? 'application/json',
                headers: { ...message.headers, [PUBLISH_ID]: id },
                ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
              },
              (error: unknown) => {
                if (returned.delete(id)) {
                  reject(
                    new PermanentError(
                      'invalid-config',
                      `No queue is bound to exchange "${message.exchange}" for routing key "${message.routingKey}": the broker returned the message.`,
                    ),
                  );
                } else if (error || channelError) {
                  const cause = channelError ?? error;
                  reject(
                    isNotFound(cause)
                      ? new PermanentError(
                          'invalid-config',
                          `The exchange "${message.exchange}" does not exist on connection "${target.connection.name}".`,
                        )
                      : cause instanceof Error
                        ? cause
                        : new Error('The broker did not confirm the message (nack).'),
                  );
                } else {
                  resolve({
                    exchange: message.exchange,
                    routingKey: message.routingKey,
                    ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
                  });
                }
              },
            );
          });
        },
      },
    };
  },
  dryRun(connection, record) {
    return {
      async publish(message) {
        record({
          method: 'PUBLISH',
          url: `amqp://${connection.name}/${message.exchange || '(default)'}/${message.routingKey}`,
          body: recordedBody(message.body),
        });
        return {
          exchange: message.exchange,
          routingKey: message.routingKey,
          ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
        };
      },
    };
  },
};
