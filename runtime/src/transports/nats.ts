import type { NatsConnection } from 'nats';
import type { TransportAdapter, TransportTarget } from './adapter';
import { clientLibrary } from './client-library';
import { recordedBody, tlsOptions } from './tls';

/** Connects to the checked address with the connection's auth and TLS; reconnects forever. */
export async function connectNats(
  target: TransportTarget<'nats'>,
  name: string,
): Promise<NatsConnection> {
  const c = target.connection;
  const tls = tlsOptions(c.tls, target);
  const auth = c.auth;
  const encoder = new TextEncoder();
  // Loaded on first use, like every kind's client library (see amqp.ts).
  const { connect, credsAuthenticator, nkeyAuthenticator } = await clientLibrary(import('nats'));
  return connect({
    // TLS checks the name in the certificate, so a TLS connection dials the (checked) name.
    servers: `${tls ? target.servername : target.address}:${target.port}`,
    name,
    // Cluster gossip could hand out addresses the network guard never checked.
    ignoreClusterUpdates: true,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    timeout: c.timeoutMs ?? 10_000,
    ...(tls ? { tls: { ...tls } } : {}),
    ...(auth?.type === 'basic'
      ? { user: target.secret(auth.usernameSecret), pass: target.secret(auth.passwordSecret) }
      : {}),
    ...(auth?.type === 'token' ? { token: target.secret(auth.tokenSecret) } : {}),
    ...(auth?.type === 'nkey'
      ? { authenticator: nkeyAuthenticator(encoder.encode(target.secret(auth.seedSecret))) }
      : {}),
    ...(auth?.type === 'credentials'
      ? { authenticator: credsAuthenticator(encoder.encode(target.secret(auth.credentialsSecret))) }
      : {}),
  });
}

/** NATS through the official client: JetStream publish with `Nats-Msg-Id` for dedupe. */
export const natsAdapter: TransportAdapter<'nats'> = {
  kind: 'nats',
  operations: ['publish'],
  async open(target) {
    const nc = await connectNats(target, `crossdock:${target.connection.name}`);
    const { headers: natsHeaders } = await clientLibrary(import('nats'));
    const js = nc.jetstream();
    const encoder = new TextEncoder();
    return {
      healthy: () => !nc.isClosed(),
      close: () => nc.drain().catch(() => nc.close()),
      capability: {
        async publish(message) {
          const h = natsHeaders();
          for (const [key, value] of Object.entries(message.headers ?? {})) h.set(key, value);
          const ack = await js.publish(message.subject, encoder.encode(message.body), {
            headers: h,
            ...(message.msgId !== undefined ? { msgID: message.msgId } : {}),
          });
          return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
        },
      },
    };
  },
  dryRun(connection, record) {
    return {
      async publish(message) {
        record({
          method: 'PUBLISH',
          url: `nats://${connection.name}/${message.subject}`,
          body: recordedBody(message.body),
        });
        return { stream: '(not sent)', seq: 0, duplicate: false };
      },
    };
  },
};
