import { defineNode } from '../../../sdk/manifest';
import { PATH_TEMPLATE_PATTERN } from '../../connector/http/url';

export const notifyException = defineNode({
  type: 'exception.notify',
  version: 1,
  category: 'exception',
  title: 'Notify',
  description:
    'Posts an escalation to a webhook (chat, paging, ticketing) and passes the message on.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Message', description: 'The unchanged message.' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'subject'],
    properties: {
      connection: {
        type: 'string',
        minLength: 1,
        description: 'A connection whose system is "notify" (the escalation endpoint).',
      },
      path: { type: 'string', pattern: PATH_TEMPLATE_PATTERN, default: '/' },
      severity: { type: 'string', enum: ['info', 'warning', 'critical'], default: 'warning' },
      subject: {
        'x-expression': true,
        description: 'json-logic giving a one-line subject.',
      },
      body: {
        'x-expression': true,
        description: 'json-logic replacing the default body.',
      },
    },
  },
  defaults: {
    connection: 'notify',
    path: '/',
    severity: 'warning',
    subject: 'Crossdock needs attention',
  },
  sideEffects: true,
  connection: { systems: ['notify'] },
  retry: { maxAttempts: 8 },
  docs: 'POSTs to the `notify` connection (through the HTTP connector: same auth, timeouts, Idempotency-Key and host restriction) the body `{"severity", "subject", "flowId", "runId", "nodeId", "message": <the message>}`, or what `body` builds, then passes the unchanged message on `out`. Failures are classified like `connector.http`. Example: after a catch, `{"connection": "ops-alerts", "severity": "critical", "subject": {"cat": ["Order ", {"var": "input.orderNumber"}, " failed: ", {"var": "error.code"}]}}`.',
});
