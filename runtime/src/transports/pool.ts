import {
  connectionKind,
  type Environment,
  PermanentError,
  type TransportKind,
} from '@crossdock/nodes';
import type { Secrets } from '../context/secrets';
import type { Logger } from '../infra/logger';
import type {
  NamedConnection,
  TransportAdapter,
  TransportClient,
  TransportTarget,
} from './adapter';
import { transportAdapters } from './registry';
import { resolveAddress } from './target';

/**
 * One client per connection per process, opened on first use and shared by every step; a client
 * that lost its server is replaced on the next use. `close` ends them all (shutdown).
 */
export class TransportPool {
  private readonly clients = new Map<string, Promise<TransportClient<TransportKind>>>();
  private closed = false;

  constructor(
    private readonly environment: Environment,
    private readonly secrets: Secrets,
    private readonly log: Logger,
  ) {}

  /** The connection named `name` when it is of `kind`; a permanent error otherwise. */
  connection<K extends TransportKind>(name: string, kind: K): NamedConnection<K> {
    const found = Object.hasOwn(this.environment.connections, name)
      ? this.environment.connections[name]
      : undefined;
    if (!found) {
      throw new PermanentError(
        'connection-missing',
        `The environment "${this.environment.name}" has no connection "${name}".`,
      );
    }
    if (connectionKind(found) !== kind) {
      throw new PermanentError(
        'connection-kind',
        `The connection "${name}" is of kind ${connectionKind(found)}, not ${kind}.`,
      );
    }
    return { ...found, name } as unknown as NamedConnection<K>;
  }

  /** The adapter of a kind (every kind with a capability has one: the registry's type says so). */
  adapter<K extends TransportKind>(kind: K): TransportAdapter<K> {
    return transportAdapters[kind] as unknown as TransportAdapter<K>;
  }

  /** The open client of a connection, opening it (once, however many steps ask) if needed. */
  async client<K extends TransportKind>(
    connection: NamedConnection<K>,
  ): Promise<TransportClient<K>> {
    if (this.closed) throw new Error('The transport pool is closed (the process is stopping).');
    const kind = connectionKind(connection) as K;
    const key = `${kind}\u0000${connection.name}`;
    const existing = this.clients.get(key);
    if (existing) {
      const client = await existing.catch(() => undefined);
      if (client?.healthy()) return client as unknown as TransportClient<K>;
      if (this.clients.get(key) === existing) {
        this.clients.delete(key);
        client?.close().catch(() => {});
      }
      if (client === undefined || !client.healthy()) return this.client(connection);
    }
    const opening = this.open(connection, kind);
    this.clients.set(key, opening as unknown as Promise<TransportClient<TransportKind>>);
    // A failed open is not kept: the next use tries again.
    opening.catch(() => {
      if (this.clients.get(key) === (opening as unknown)) this.clients.delete(key);
    });
    return opening;
  }

  /** Opens a client that is not in the pool. */
  async open<K extends TransportKind>(
    connection: NamedConnection<K>,
    kind: K = connectionKind(connection) as K,
  ): Promise<TransportClient<K>> {
    return this.adapter(kind).open(await this.target(connection));
  }

  /**
   * Where a connection's clients connect: the address resolved and checked by the network guard,
   * secrets resolved on demand. Triggers open their own consumers from it.
   */
  async target<K extends TransportKind>(
    connection: NamedConnection<K>,
  ): Promise<TransportTarget<K>> {
    const { address, port } = await resolveAddress(connection);
    return {
      connection,
      address,
      port,
      servername: connection.host,
      secret: (name) => {
        const value = this.secrets.get(name);
        if (value === undefined) {
          throw new PermanentError(
            'connection-missing',
            `The secret ${name} of connection "${connection.name}" is not set.`,
          );
        }
        return value;
      },
      log: this.log.child({ connection: connection.name, kind: connection.kind }),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      open.map((p) =>
        p.then(
          (client) => client.close().catch(() => {}),
          () => {},
        ),
      ),
    );
  }
}
