import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The code of the error a refused connection fails with; connectors classify it as permanent. */
export const FORBIDDEN_ADDRESS = 'ERR_CROSSDOCK_FORBIDDEN_ADDRESS';

/**
 * Why an IP address may not be reached from a connection without `allowPrivateNetwork`, or
 * undefined when it may. Only public unicast passes: loopback, private, link-local (the cloud
 * metadata service at 169.254.169.254), carrier-grade NAT, unique-local, multicast, reserved and
 * the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are refused. `ip` is
 * a resolved address or an IP literal as the URL parser leaves it (decimal, octal and hex
 * spellings of IPv4 are already normalised to dotted decimal by then; brackets are accepted).
 */
export function forbiddenAddressReason(ip: string): string | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    // `process` also reads the old inet_aton spellings (0x7f.1, 017700000001, 2130706433).
    address = ipaddr.process(bare);
  } catch {
    return 'it is not an IP address';
  }
  const range = address.range();
  if (range === 'unicast') return undefined;
  return `${address.toString()} is in the ${range} range`;
}

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = FORBIDDEN_ADDRESS;
  constructor(host: string, reason: string) {
    super(
      `Connecting to ${host} was refused: ${reason}. A connection reaches private, loopback or link-local addresses only with "allowPrivateNetwork": true in its environment.`,
    );
  }
}

/** The IP literal a connector was asked to reach, or undefined for a name to resolve. */
export function ipLiteral(hostname: string): string | undefined {
  const bare =
    hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) !== 0 ? bare : undefined;
}

/**
 * `dns.lookup` that drops the addresses a connection may not reach, and fails when none is left:
 * the check happens on the addresses the socket will connect to, after resolution, so a name that
 * resolves (or re-resolves) to 169.254.169.254 is refused too.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const list = addresses as dns.LookupAddress[];
    const allowed = list.filter((a) => forbiddenAddressReason(a.address) === undefined);
    if (allowed.length === 0) {
      const first = list[0];
      const reason = first ? (forbiddenAddressReason(first.address) ?? '') : 'no address';
      callback(new ForbiddenAddressError(hostname, reason), '', 0);
      return;
    }
    if (options.all) callback(null, allowed);
    else {
      const one = allowed[0] as dns.LookupAddress;
      callback(null, one.address, one.family);
    }
  });
};
