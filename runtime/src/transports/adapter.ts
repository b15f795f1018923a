import type { ConnectionOf, TransportCapabilities, TransportKind } from '@crossdock/nodes';
import type { NotSentRequest } from '../context/dry-run';
import type { Logger } from '../infra/logger';

/** A connection of one kind with the name the environment gives it. */
export type NamedConnection<K extends TransportKind> = ConnectionOf<K> & { name: string };

/**
 * Where and how an adapter connects: the address is already resolved and checked against the
 * network guard (see `target.ts`), so an adapter never resolves the host itself.
 */
export interface TransportTarget<K extends TransportKind> {
  connection: NamedConnection<K>;
  /** The IP address to connect to. */
  address: string;
  port: number;
  /** The host name as written, for TLS server-name checks. */
  servername: string;
  /** A secret the connection names; throws a permanent error naming it when it is not set. */
  secret(name: string): string;
  log: Logger;
}

/** One open client of a connection, shared by every step of the process. */
export interface TransportClient<K extends TransportKind> {
  capability: TransportCapabilities[K];
  /** False once the client lost its server: the pool opens a new one on the next use. */
  healthy(): boolean;
  close(): Promise<void>;
}

/**
 * The runtime side of a connection kind: opens clients (pooled by `TransportPool`) and says what
 * a safe test run answers instead of sending. The foundation applies the network guard, the
 * connection's rate limit, the step's abort signal and error classification around it.
 */
export interface TransportAdapter<K extends TransportKind> {
  kind: K;
  /** The capability's operations; each one is rate-limited and recorded in safe test runs. */
  operations: readonly (keyof TransportCapabilities[K] & string)[];
  open(target: TransportTarget<K>): Promise<TransportClient<K>>;
  /** The capability of a safe test run: records each operation and answers like the server. */
  dryRun(
    connection: NamedConnection<K>,
    record: (operation: NotSentRequest) => void,
  ): TransportCapabilities[K];
}
