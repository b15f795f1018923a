import { defineNode } from '../../../sdk/manifest';
import { PATH_TEMPLATE_PATTERN } from './url';

export const httpConnector = defineNode({
  type: 'connector.http',
  version: 1,
  category: 'connector',
  title: 'HTTP request',
  description: 'Calls a REST endpoint on a named connection and passes the response on.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Response' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'method', 'path'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'Name of the connection; the environment supplies its base URL and auth.',
      },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'POST' },
      path: {
        type: 'string',
        pattern: PATH_TEMPLATE_PATTERN,
        description:
          "Path on the connection's base URL; {{field}} inserts a URL-encoded value from the message. No '//', '..', '@', back slashes or encoded slashes.",
      },
      query: {
        type: 'object',
        additionalProperties: { 'x-expression': true },
        description: 'Query parameters, each from a json-logic expression.',
      },
      headers: {
        type: 'object',
        propertyNames: {
          pattern: '^[A-Za-z0-9-]+$',
          not: { pattern: '^([Aa]uthorization|[Hh]ost|[Cc]ookie|[Pp]roxy-[Aa]uthorization)$' },
        },
        additionalProperties: { type: 'string' },
        description: 'Extra request headers (never credentials: those come from the connection).',
      },
      body: {
        'x-expression': true,
        description: 'json-logic that builds the request body; by default the message itself.',
      },
      timeoutMs: {
        type: 'integer',
        minimum: 1,
        maximum: 600000,
        description:
          "Milliseconds to wait for the answer; the connection's timeout (or 30 s) by default.",
      },
      output: {
        type: 'string',
        enum: ['body', 'response', 'merge'],
        default: 'body',
        description:
          'What leaves on "out": the response body, {status, headers, body}, or the message with the body under "response".',
      },
    },
  },
  defaults: { connection: 'erp', method: 'POST', path: '/', output: 'body' },
  sideEffects: true,
  connection: {},
  retry: { maxAttempts: 8 },
  docs: [
    "Sends the request to the connection's base URL plus `path`, with the connection's auth (none, bearer, basic, API key or OAuth2 client credentials with a cached token) and, for POST, PUT, PATCH and DELETE, an `Idempotency-Key` header that stays the same across retries of the step.",
    '',
    "`{{field}}` in the path inserts a URL-encoded value read from the message; `query` values and `body` are json-logic expressions over the message (the body defaults to the message itself for POST, PUT and PATCH; DELETE only when `body` is set, GET never). The timeout is `timeoutMs`, else the connection's, else 30 s.",
    '',
    "408, 429 and 5xx responses, timeouts and network errors are transient (retried, honouring Retry-After in seconds or as a date); other 4xx are permanent (404 is `not-found`), with the status and the start of the body in the error's details. A 2xx JSON body is parsed, other bodies arrive as text. Requests can only reach the connection's base URL: `//`, `..`, `@` and encoded slashes are refused, and a redirect elsewhere fails with `forbidden-host`.",
    '',
    'Example: `{"connection": "erp", "method": "GET", "path": "/orders/{{orderId}}", "query": {"expand": "lines"}}` on `{"orderId": "SO 1"}` calls `GET <erp base>/orders/SO%201?expand=lines` and emits the order.',
  ].join('\n'),
});
