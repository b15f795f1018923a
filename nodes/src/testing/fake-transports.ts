import type {
  AmqpMessage,
  MqttMessage,
  NatsMessage,
  TransportCapabilities,
  TransportKind,
} from '../sdk/connections';
import type { SqlCapability, SqlParam } from '../sdk/connections/sql-capability';
import { PermanentError } from '../sdk/errors';
import type { NodeContext } from '../sdk/executor-types';
import type { JsonObject } from '../sdk/json';

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
  /** The fake SFTP server's files by absolute path. */
  files: Map<string, Uint8Array>;
  /** Every SQL statement the fake databases took, with its bound parameters. */
  statements: { kind: 'postgres' | 'mysql'; statement: string; params: SqlParam[] }[];
}

/** What the fake SFTP server and databases hold at the start. */
export interface FakeTransportSeed {
  /** Files by absolute path, as text. */
  files?: Record<string, string>;
  /** The rows every SQL query answers (the statement is not interpreted). */
  rows?: JsonObject[];
}

/**
 * In-memory broker capabilities for executor unit tests: publishes are recorded and answered
 * like the real broker answers (JetStream drops a repeated `msgId` as a duplicate). Kinds not in
 * `kinds` fail with `connection-kind`, as the runtime does for a connection of another kind.
 */
export function fakeTransports(
  kinds: readonly TransportKind[] = ['amqp', 'nats', 'mqtt'],
  seed: FakeTransportSeed = {},
): FakeTransports {
  const published: FakePublished[] = [];
  const files = new Map<string, Uint8Array>(
    Object.entries(seed.files ?? {}).map(([p, text]) => [p, new TextEncoder().encode(text)]),
  );
  const statements: FakeTransports['statements'] = [];
  const sql = (kind: 'postgres' | 'mysql'): SqlCapability => ({
    async query(statement, params, options) {
      takeFailure(kind);
      statements.push({ kind, statement, params: [...params] });
      const all = seed.rows ?? [];
      const rows = all.slice(0, options.maxRows);
      return {
        rows,
        rowCount: rows.length,
        ...(all.length > rows.length ? { truncated: true } : {}),
      };
    },
    async execute(statement, params) {
      takeFailure(kind);
      statements.push({ kind, statement, params: [...params] });
      return { rows: [], rowCount: 1 };
    },
  });
  const missing = (path: string) => new PermanentError('not-found', `No file ${path}.`);
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
    sftp: {
      async list(folder) {
        takeFailure('sftp');
        const prefix = `${folder.replace(/\/+$/, '')}/`;
        return [...files.entries()]
          .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
          .map(([p, bytes]) => ({
            name: p.slice(prefix.length),
            path: p,
            size: bytes.byteLength,
            modifiedAt: 0,
          }));
      },
      async read(path, options) {
        takeFailure('sftp');
        const bytes = files.get(path);
        if (!bytes) throw missing(path);
        if (bytes.byteLength > options.maxBytes)
          throw new PermanentError(
            'invalid-input',
            `${path} is larger than ${options.maxBytes} bytes.`,
          );
        return bytes;
      },
      async write(path, content) {
        takeFailure('sftp');
        files.set(path, content);
        return { path, size: content.byteLength };
      },
      async rename(from, to) {
        takeFailure('sftp');
        const bytes = files.get(from);
        if (!bytes) throw missing(from);
        files.delete(from);
        files.set(to, bytes);
      },
    },
    postgres: sql('postgres'),
    mysql: sql('mysql'),
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
    files,
    statements,
  };
}
