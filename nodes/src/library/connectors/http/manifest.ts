import { defineNode } from '../../../sdk/manifest';

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
        pattern: '^/',
        description:
          "Path on the connection's base URL; {{field}} inserts a URL-encoded value from the message.",
      },
      query: {
        type: 'object',
        additionalProperties: { 'x-expression': true },
        description: 'Query parameters, each from a json-logic expression.',
      },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Extra request headers (never credentials: those come from the connection).',
      },
      body: {
        'x-expression': true,
        description: 'json-logic that builds the request body; by default the message itself.',
      },
      timeoutMs: { type: 'integer', minimum: 1, maximum: 600000 },
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
  retry: { maxAttempts: 5 },
  docs: "Sends the request to the connection's base URL plus `path`, with the connection's auth and an `Idempotency-Key` header derived from run and node. 408, 429 and 5xx responses, timeouts and network errors are transient (retried, honouring Retry-After); other 4xx are permanent. Requests can only reach the connection's host.",
});
