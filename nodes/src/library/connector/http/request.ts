import { isHttpConnection } from '../../../sdk/connections';
import { PermanentError, TransientError } from '../../../sdk/errors';
import type {
  FetchHeaders,
  FetchResponse,
  NodeContext,
  ResolvedHttpConnection,
} from '../../../sdk/executor-types';
import type { JsonValue } from '../../../sdk/json';
import { authHeaders, canRefreshAuth } from './auth';
import { forbiddenAddress, readLimitedText } from './body';
import { classifyResponse, parseBody } from './response';
import { isWithinBase, parseBaseUrl, resolveUrl } from './url';

export const DEFAULT_TIMEOUT_MS = 30_000;
export { MAX_RESPONSE_BYTES } from './body';

const MAX_REDIRECTS = 3;
/** Headers a flow may not set: the connection owns them. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'host',
  'cookie',
]);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request on a connection, before the path template is filled. */
export interface HttpRequestSpec {
  method: HttpMethod;
  /** Path template, `{{field}}` filled from `data`. */
  path: string;
  data: JsonValue;
  query?: URLSearchParams;
  headers?: Record<string, string>;
  /** JSON body; undefined sends none. */
  body?: JsonValue;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: JsonValue;
}

/** The connection the node is bound to; a missing one is a permanent configuration error. */
export function requireConnection(ctx: NodeContext): ResolvedHttpConnection {
  if (!ctx.connection) {
    throw new PermanentError(
      'connection-missing',
      `Node "${ctx.nodeId}" has no connection; the environment must bind "${String(ctx.config.connection)}".`,
    );
  }
  const connection = ctx.connection;
  if (!isHttpConnection(connection)) {
    throw new PermanentError(
      'connection-kind',
      `Node "${ctx.nodeId}" speaks HTTP, but the connection "${connection.name}" is of kind ${connection.kind}.`,
    );
  }
  return connection;
}

function checkHeaders(headers: Record<string, string>): void {
  for (const name of Object.keys(headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new PermanentError(
        'invalid-config',
        `The header "${name}" may not be set by a node: the connection's auth provides it.`,
      );
    }
  }
}

function headerRecord(headers: FetchHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

const SIDE_EFFECT_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Sends one request to the node's connection and returns the 2xx response, or throws a
 * classified error. The only HTTP client of the node library: every connector goes through it.
 * It never leaves the connection's base URL, not even by a redirect.
 */
export async function sendHttp(ctx: NodeContext, spec: HttpRequestSpec): Promise<HttpResponse> {
  const connection = requireConnection(ctx);
  const base = parseBaseUrl(connection.baseUrl);
  const configured = spec.headers ?? {};
  checkHeaders(configured);
  const url = resolveUrl(base, spec.path, spec.data, spec.query ?? new URLSearchParams());
  const timeoutMs = spec.timeoutMs ?? connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const what = `${connection.name} endpoint ${spec.method} ${url.pathname}`;
  const { signal, dispose } = deadline(ctx, timeoutMs);
  try {
    return await exchange(
      { ctx, connection, spec, base, configured, signal, what, timeoutMs },
      url,
    );
  } finally {
    dispose?.();
  }
}

/**
 * A signal that aborts when the step's signal does or when `timeoutMs` passes: the step's signal
 * itself when the step runs out of time first, else one controller and one timer, released by
 * `dispose`. Controllers are dear on Node 20 (`AbortSignal.any` with `AbortSignal.timeout` costs
 * more than the call itself), and this runs on every connector call.
 */
function deadline(
  ctx: NodeContext,
  timeoutMs: number,
): { signal: AbortSignal; dispose?: () => void } {
  const parent = ctx.signal;
  // Wall clock, like the step's timer behind `ctx.deadline` (the run's clock may be virtual).
  if (ctx.deadline !== undefined && ctx.deadline <= Date.now() + timeoutMs) {
    return { signal: parent };
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

/** What stays the same across the attempts of one call (auth refresh, redirects). */
interface Call {
  ctx: NodeContext;
  connection: ResolvedHttpConnection;
  spec: HttpRequestSpec;
  base: URL;
  configured: Record<string, string>;
  signal: AbortSignal;
  what: string;
  timeoutMs: number;
}

async function exchange(call: Call, start: URL): Promise<HttpResponse> {
  const { ctx, connection, spec, base, configured, signal, what, timeoutMs } = call;
  let url = start;

  let method: HttpMethod = spec.method;
  let body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  let refreshed = false;
  let redirects = 0;
  for (;;) {
    const headers: Record<string, string> = {
      accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
      ...lower(connection.headers ?? {}),
      ...lower(configured),
      ...(await authHeaders(ctx, connection, signal, refreshed)),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (SIDE_EFFECT_METHODS.has(method)) headers['idempotency-key'] = ctx.idempotencyKey;

    let response: FetchResponse;
    try {
      response = await ctx.fetch(url.href, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw networkError(ctx, error, what, timeoutMs);
    }

    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      const location = response.headers.get('location') ?? '';
      const next = safeUrl(location, url);
      if (!next || !isWithinBase(next, base)) {
        throw new PermanentError(
          'forbidden-host',
          `The ${what} redirected to "${location}", outside the connection's base URL.`,
          { details: { status: response.status, location } },
        );
      }
      redirects += 1;
      if (redirects > MAX_REDIRECTS) {
        throw new PermanentError('upstream-rejected', `The ${what} redirected too many times.`);
      }
      if (response.status === 303 || (response.status <= 302 && method !== 'GET')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
      continue;
    }

    let text: string;
    try {
      text = await readLimitedText(response, what);
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      throw networkError(ctx, error, what, timeoutMs);
    }
    if (response.status === 401 && !refreshed && canRefreshAuth(connection)) {
      refreshed = true;
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      throw classifyResponse(response, text, ctx.now(), what);
    }
    return {
      status: response.status,
      headers: headerRecord(response.headers),
      body: parseBody(response, text, what),
    };
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function safeUrl(location: string, against: URL): URL | undefined {
  try {
    return new URL(location, against);
  } catch {
    return undefined;
  }
}

function networkError(ctx: NodeContext, error: unknown, what: string, timeoutMs: number) {
  const refused = forbiddenAddress(error);
  if (refused !== undefined) {
    return new PermanentError('forbidden-host', `The ${what} may not be reached. ${refused}`, {
      cause: error,
    });
  }
  if (ctx.signal.aborted) {
    return new TransientError('aborted', `The call to the ${what} was cancelled.`, {
      cause: error,
    });
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new TransientError('timeout', `The ${what} did not answer within ${timeoutMs} ms.`, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TransientError('network', `The ${what} is unreachable: ${message}`, { cause: error });
}
