import dns from 'node:dns/promises';
import { connectionPort, PermanentError, type TransportKind } from '@crossdock/nodes';
import {
  FORBIDDEN_ADDRESS,
  ForbiddenAddressError,
  forbiddenAddressReason,
  ipLiteral,
} from '../context/address-policy';
import type { NamedConnection } from './adapter';

/**
 * The address a non-HTTP connection connects to: resolved once here and checked with the same
 * policy as HTTP (only public unicast unless `allowPrivateNetwork`), so every kind is guarded
 * alike and a name that resolves to 169.254.169.254 is refused before any adapter sees it.
 */
export async function resolveAddress(
  connection: NamedConnection<TransportKind>,
): Promise<{ address: string; port: number }> {
  const port = connectionPort(connection);
  const host = connection.host.replace(/^\[(.*)\]$/, '$1');
  const literal = ipLiteral(host);
  const candidates = literal
    ? [literal]
    : (await dns.lookup(host, { all: true })).map((a) => a.address);
  if (connection.allowPrivateNetwork === true) {
    const first = candidates[0];
    if (first === undefined) throw new Error(`${host} did not resolve.`);
    return { address: first, port };
  }
  const allowed = candidates.find((a) => forbiddenAddressReason(a) === undefined);
  if (allowed === undefined) {
    const first = candidates[0];
    const reason = first ? (forbiddenAddressReason(first) ?? '') : 'no address';
    throw new ForbiddenAddressError(host, reason);
  }
  return { address: allowed, port };
}

/** A refused address as the node error it is: permanent, naming the connection. */
export function forbiddenHost(connectionName: string, error: unknown): PermanentError | undefined {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== FORBIDDEN_ADDRESS) {
    return undefined;
  }
  return new PermanentError('forbidden-host', `Connection "${connectionName}": ${error.message}`);
}
