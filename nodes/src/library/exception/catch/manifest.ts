import type { ErrorCode } from '../../../sdk/errors';
import { defineNode } from '../../../sdk/manifest';

// A record keyed by every ErrorCode, so the compiler flags a code added to errors.ts but not here.
const CODES: Readonly<Record<ErrorCode, true>> = {
  timeout: true,
  network: true,
  'rate-limited': true,
  'upstream-unavailable': true,
  'upstream-rejected': true,
  'invalid-config': true,
  'invalid-input': true,
  'validation-failed': true,
  'rule-rejected': true,
  'not-found': true,
  'connection-missing': true,
  'connection-kind': true,
  'forbidden-host': true,
  'expression-failed': true,
  'expression-budget': true,
  aborted: true,
  'dead-lettered': true,
  'worker-crashed': true,
  internal: true,
};
const ERROR_CODES = Object.keys(CODES);

export const catchException = defineNode({
  type: 'exception.catch',
  version: 1,
  category: 'exception',
  title: 'Catch',
  description: "Routes another node's failure by error class or code.",
  inputs: [{ id: 'in', label: 'Error', description: "Connect to another node's error port." }],
  outputs: [
    { id: 'transient', label: 'Transient', description: 'Timeouts, network, 429, 5xx.' },
    { id: 'permanent', label: 'Permanent', description: 'Bad data or config, other 4xx.' },
    { id: 'unexpected', label: 'Unexpected', description: 'A bug: report it.' },
  ],
  dynamicOutputs: { from: 'routes', key: 'port', labelKey: 'label' },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      routes: {
        type: 'array',
        description: 'Checked in order before the class ports; the first match wins.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['port'],
          anyOf: [
            { required: ['codes'], properties: { codes: { type: 'array' } } },
            { required: ['statuses'], properties: { statuses: { type: 'array' } } },
          ],
          properties: {
            port: {
              type: 'string',
              pattern: '^[a-z][a-z0-9-]*$',
              not: { enum: ['transient', 'permanent', 'unexpected', 'error', 'in'] },
              description: 'Port id, e.g. "not-found".',
            },
            label: { type: 'string' },
            codes: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', enum: ERROR_CODES },
              description: 'Error codes that take this port.',
            },
            statuses: {
              type: 'array',
              minItems: 1,
              items: { type: 'integer', minimum: 100, maximum: 599 },
              description: 'HTTP statuses (from a connector error) that take this port.',
            },
          },
        },
      },
    },
  },
  defaults: { routes: [] },
  sideEffects: false,
  docs: [
    'Connect it to any node\'s `error` port. After that node\'s last attempt the runtime sends `{"error": {"name", "errorClass", "code", "message", "retryable", "retryAfterMs"?, "details"?}, "input": <the message it failed on>, "nodeId": "<its id>"}`. The catch node passes that message on unchanged: out of the first route whose `codes` contain the error code or whose `statuses` contain `details.status`, else out of `transient`, `permanent` or `unexpected` by the error class.',
    '',
    'Example: `{"routes": [{"port": "missing", "codes": ["not-found"]}, {"port": "conflict", "statuses": [409]}]}` sends a 404 from the ERP to `missing`, a 409 to `conflict`, a 503 to `transient`.',
  ].join('\n'),
});
