import type {
  AmqpMessage,
  MqttMessage,
  NatsMessage,
  TransportCapabilities,
  TransportKind,
} from '../sdk/connections';
import { PermanentError } from '../sdk/errors';
import type { NodeContext } from '../sdk/executor-types';

/** One message a fake transport took, in order, with the kind it went out on. */
export type FakePublished =
  | { kind: 'amqp'; message: AmqpMessage }
  | { kind: 'nats'; message: NatsMessage }
  | { kind: 'mqtt'; message: MqttMessage };

export interface FakeTransports {
  /** Pass as `transport` to `fakeContext`. */
  transport: NodeContext['transport'];
  published: FakePublished[];
  /** The next publish of `kind` rejects with this error (a nack, a broker gone away). */
  failNext(kind: TransportKind, error: Error): void;
}

/**
 * In-memory broker capabilities for executor unit tests: publishes are recorded and answered
 * like the real broker answers (JetStream drops a repeated `msgId` as a duplicate). Kinds not in
 * `kinds` fail with `connection-kind`, as the runtime does for a connection of another kind.
 */
export function fakeTransports(
  kinds: readonly TransportKind[] = ['amqp', 'nats', 'mqtt'],
): FakeTransports {
  const published: FakePublished[] = [];
  const failures = new Map<TransportKind, Error>();
  const natsIds = new Map<string, number>();
  const takeFailure = (kind: TransportKind) => {
    const error = failures.get(kind);
    failures.delete(kind);
    if (error) throw error;
  };
  const capabilities: TransportCapabilities = {
    amqp: {
      async publish(message) {
        takeFailure('amqp');
        published.push({ kind: 'amqp', message });
        return {
          exchange: message.exchange,
          routingKey: message.routingKey,
          ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
        };
      },
    },
    nats: {
      async publish(message) {
        takeFailure('nats');
        const seen = message.msgId !== undefined ? natsIds.get(message.msgId) : undefined;
        if (seen !== undefined) return { stream: 'FAKE', seq: seen, duplicate: true };
        published.push({ kind: 'nats', message });
        const seq = published.filter((p) => p.kind === 'nats').length;
        if (message.msgId !== undefined) natsIds.set(message.msgId, seq);
        return { stream: 'FAKE', seq, duplicate: false };
      },
    },
    mqtt: {
      async publish(message) {
        takeFailure('mqtt');
        published.push({ kind: 'mqtt', message });
        return { topic: message.topic, qos: message.qos };
      },
    },
  };
  const transport = <K extends TransportKind>(kind: K): TransportCapabilities[K] => {
    if (!kinds.includes(kind)) {
      throw new PermanentError(
        'connection-kind',
        `The step's connection is not of kind ${kind} (fake transports: ${kinds.join(', ')}).`,
      );
    }
    return capabilities[kind];
  };
  return {
    transport,
    published,
    failNext: (kind, error) => {
      failures.set(kind, error);
    },
  };
}
