import type { ConnectionAuth } from '../../../sdk/environment';
import { PermanentError, TransientError } from '../../../sdk/errors';
import type {
  FetchResponse,
  NodeContext,
  ResolvedHttpConnection,
} from '../../../sdk/executor-types';
import { isJsonObject } from '../../../sdk/json';
import { forbiddenAddress, readLimitedText } from './body';
import { classifyResponse } from './response';
import { openToken, sealToken } from './token-seal';

/** Tokens are renewed this long before they expire, so one never lapses in flight. */
export const TOKEN_EXPIRY_SKEW_MS = 30_000;
const DEFAULT_TOKEN_LIFETIME_S = 300;

function requireSecret(ctx: NodeContext, name: string, connection: ResolvedHttpConnection): string {
  const value = ctx.secret(name);
  if (value === undefined || value === '') {
    throw new PermanentError(
      'invalid-config',
      `The secret "${name}" that the connection "${connection.name}" needs is not set: set the environment variable ${name}, or add it to the secrets file (CROSSDOCK_SECRETS_FILE).`,
      // `secretName`, not `secret`: the runtime redacts fields named `secret` from traces.
      { details: { secretName: name, connection: connection.name } },
    );
  }
  return value;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

type OAuth2 = Extract<ConnectionAuth, { type: 'oauth2-client-credentials' }>;

function tokenCacheKey(connection: ResolvedHttpConnection, auth: OAuth2): string {
  return `oauth2:${connection.name}:${auth.tokenUrl}:${auth.scope ?? ''}`;
}

async function requestToken(
  ctx: NodeContext,
  connection: ResolvedHttpConnection,
  auth: OAuth2,
  signal: AbortSignal,
): Promise<string> {
  const clientId = requireSecret(ctx, auth.clientIdSecret, connection);
  const clientSecret = requireSecret(ctx, auth.clientSecretSecret, connection);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  let response: FetchResponse;
  try {
    response = await ctx.fetch(auth.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: basic(encodeURIComponent(clientId), encodeURIComponent(clientSecret)),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    const refused = forbiddenAddress(error);
    if (refused !== undefined) {
      throw new PermanentError(
        'forbidden-host',
        `The token endpoint of "${connection.name}" may not be reached. ${refused}`,
        { cause: error },
      );
    }
    throw new TransientError(
      'network',
      `The token endpoint of "${connection.name}" is unreachable.`,
      {
        cause: error,
      },
    );
  }
  const text = await readLimitedText(response, `token endpoint of "${connection.name}"`);
  if (response.status < 200 || response.status >= 300) {
    throw classifyResponse(response, text, ctx.now(), `token endpoint of "${connection.name}"`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isJsonObject(body) || typeof body.access_token !== 'string') {
    throw new PermanentError(
      'upstream-rejected',
      `The token endpoint of "${connection.name}" answered without an access_token.`,
    );
  }
  const lifetimeS =
    typeof body.expires_in === 'number' && body.expires_in > 0
      ? body.expires_in
      : DEFAULT_TOKEN_LIFETIME_S;
  const ttlMs = Math.max(lifetimeS * 1000 - TOKEN_EXPIRY_SKEW_MS, 1000);
  const expiresAt = ctx.now().getTime() + ttlMs;
  const cacheKey = tokenCacheKey(connection, auth);
  const sealed = await sealToken(body.access_token, clientSecret, cacheKey);
  await ctx.cache.set(cacheKey, { ...sealed, expiresAt }, ttlMs);
  return body.access_token;
}

async function oauth2Token(
  ctx: NodeContext,
  connection: ResolvedHttpConnection,
  auth: OAuth2,
  signal: AbortSignal,
  fresh: boolean,
): Promise<string> {
  if (!fresh) {
    const cacheKey = tokenCacheKey(connection, auth);
    const cached = await ctx.cache.get(cacheKey);
    // The cache's own TTL runs on wall-clock time; the recorded expiry is checked on the run's clock.
    if (
      isJsonObject(cached) &&
      typeof cached.iv === 'string' &&
      typeof cached.sealed === 'string' &&
      typeof cached.expiresAt === 'number' &&
      cached.expiresAt > ctx.now().getTime()
    ) {
      const clientSecret = requireSecret(ctx, auth.clientSecretSecret, connection);
      const token = await openToken(
        { iv: cached.iv, sealed: cached.sealed },
        clientSecret,
        cacheKey,
      );
      if (token !== undefined) return token;
    }
  }
  return requestToken(ctx, connection, auth, signal);
}

/**
 * The headers that authenticate a request on this connection. `fresh` skips the OAuth2 token
 * cache (after a 401 on a cached token).
 */
export async function authHeaders(
  ctx: NodeContext,
  connection: ResolvedHttpConnection,
  signal: AbortSignal,
  fresh = false,
): Promise<Record<string, string>> {
  const auth = connection.auth;
  if (!auth) return {};
  switch (auth.type) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${requireSecret(ctx, auth.tokenSecret, connection)}` };
    case 'basic':
      return {
        authorization: basic(
          requireSecret(ctx, auth.usernameSecret, connection),
          requireSecret(ctx, auth.passwordSecret, connection),
        ),
      };
    case 'api-key':
      return { [auth.header.toLowerCase()]: requireSecret(ctx, auth.keySecret, connection) };
    case 'oauth2-client-credentials':
      return {
        authorization: `Bearer ${await oauth2Token(ctx, connection, auth, signal, fresh)}`,
      };
  }
}

/** True when the connection's auth can be renewed by asking for a new token. */
export function canRefreshAuth(connection: ResolvedHttpConnection): boolean {
  return connection.auth?.type === 'oauth2-client-credentials';
}
