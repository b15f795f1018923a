import { PermanentError } from '../../../sdk/errors';
import { emit, type NodeContext, type NodeExecutor } from '../../../sdk/executor-types';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../sdk/json';
import { type HttpMethod, type HttpResponse, sendHttp } from './request';

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The config of `connector.http`, parsed once from what the runtime hands over. */
export interface HttpConfig {
  method: HttpMethod;
  path: string;
  query: JsonObject;
  headers: Record<string, string>;
  body: JsonValue | undefined;
  timeoutMs: number | undefined;
  output: 'body' | 'response' | 'merge';
}

function invalid(message: string): PermanentError {
  return new PermanentError('invalid-config', message);
}

/** Parses a `connector.http`-shaped config, with a classified error for what validation missed. */
export function parseHttpConfig(config: JsonObject): HttpConfig {
  const method = config.method ?? 'POST';
  if (typeof method !== 'string' || !METHODS.has(method)) {
    throw invalid(`The method "${String(method)}" is not one of GET, POST, PUT, PATCH, DELETE.`);
  }
  if (typeof config.path !== 'string') throw invalid('The HTTP node has no "path".');
  const query = config.query ?? {};
  if (!isJsonObject(query)) throw invalid('"query" must be an object of expressions.');
  const headers = config.headers ?? {};
  if (!isJsonObject(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw invalid('"headers" must be an object of strings.');
  }
  const timeoutMs = config.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || timeoutMs <= 0)) {
    throw invalid('"timeoutMs" must be a positive number.');
  }
  const output = config.output ?? 'body';
  if (output !== 'body' && output !== 'response' && output !== 'merge') {
    throw invalid(`"output" must be body, response or merge, not "${String(output)}".`);
  }
  return {
    method: method as HttpMethod,
    path: config.path,
    query,
    headers: headers as Record<string, string>,
    body: config.body,
    timeoutMs: timeoutMs as number | undefined,
    output,
  };
}

function queryParams(ctx: NodeContext, query: JsonObject, data: JsonValue): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, expression] of Object.entries(query)) {
    const value = ctx.evaluate(expression, data, { now: ctx.now() });
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null) continue;
      params.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return params;
}

function shape(
  output: HttpConfig['output'],
  response: HttpResponse,
  payload: JsonValue,
): JsonValue {
  switch (output) {
    case 'body':
      return response.body;
    case 'response':
      return { status: response.status, headers: response.headers, body: response.body };
    case 'merge':
      return isJsonObject(payload)
        ? { ...payload, response: response.body }
        : { message: payload, response: response.body };
  }
}

/**
 * Runs a parsed HTTP config against a message: the shared core of `connector.http` and the
 * operation-catalog connectors (ERP, WMS, TMS, carrier, notify).
 */
export async function runHttp(
  ctx: NodeContext,
  config: HttpConfig,
  payload: JsonValue,
): Promise<JsonValue> {
  const withBody = config.method !== 'GET';
  const body =
    config.body === undefined
      ? withBody && config.method !== 'DELETE'
        ? payload
        : undefined
      : ctx.evaluate(config.body, payload, { now: ctx.now() });
  const response = await sendHttp(ctx, {
    method: config.method,
    path: config.path,
    data: payload,
    query: queryParams(ctx, config.query, payload),
    headers: config.headers,
    ...(withBody && body !== undefined ? { body } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
  });
  return shape(config.output, response, payload);
}

export const executeHttp: NodeExecutor = async (input, ctx) =>
  emit(await runHttp(ctx, parseHttpConfig(ctx.config), input.payload));
