import type { TlsSettings } from '@crossdock/nodes';

/** PEM text and names, as every TLS client library takes them. */
export interface TlsClientOptions {
  servername: string;
  rejectUnauthorized: true;
  ca?: string;
  cert?: string;
  key?: string;
  passphrase?: string;
}

/** Node TLS options from a connection's `tls` block (undefined when TLS is off). */
export function tlsOptions(
  tls: TlsSettings | undefined,
  target: { servername: string; secret(name: string): string },
): TlsClientOptions | undefined {
  if (!tls) return undefined;
  return {
    servername: tls.serverName ?? target.servername,
    rejectUnauthorized: true,
    ...(tls.caSecret ? { ca: target.secret(tls.caSecret) } : {}),
    ...(tls.certSecret ? { cert: target.secret(tls.certSecret) } : {}),
    ...(tls.keySecret ? { key: target.secret(tls.keySecret) } : {}),
    ...(tls.passphraseSecret ? { passphrase: target.secret(tls.passphraseSecret) } : {}),
  };
}

/** A message body as a safe test run records it: JSON when it is JSON text. */
export function recordedBody(body: string) {
  try {
    return JSON.parse(body) as import('@crossdock/nodes').JsonValue;
  } catch {
    return body;
  }
}
