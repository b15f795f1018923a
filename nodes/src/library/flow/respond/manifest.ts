import { defineNode } from '../../../sdk/manifest';

/**
 * Response headers a flow may not set: framing and connection handling belong to the server,
 * a cookie from a flow would let a partner's data set state in the caller's client, and the
 * runtime's content policy keeps an echoed payload from ever acting as a page on its origin.
 */
export const RESERVED_REPLY_HEADERS = [
  'connection',
  'content-length',
  'content-security-policy',
  'keep-alive',
  'set-cookie',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'x-content-type-options',
] as const;

export const respondFlow = defineNode({
  type: 'flow.respond',
  version: 1,
  category: 'flow',
  title: 'Respond to webhook',
  description:
    "Answers the system that posted the webhook with the flow's result (request-reply), then passes the message on.",
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Message', description: 'The unchanged message.' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: {
        'x-expression': true,
        description: 'json-logic giving the HTTP status (200 to 599); 200 when absent.',
      },
      headers: {
        type: 'object',
        propertyNames: {
          pattern: '^[A-Za-z0-9-]+$',
          not: {
            pattern:
              '^([Cc]onnection|[Cc]ontent-[Ll]ength|[Cc]ontent-[Ss]ecurity-[Pp]olicy|[Xx]-[Cc]ontent-[Tt]ype-[Oo]ptions|[Kk]eep-[Aa]live|[Ss]et-[Cc]ookie|[Tt]railer|[Tt]ransfer-[Ee]ncoding|[Uu]pgrade)$',
          },
        },
        additionalProperties: { 'x-expression': true },
        description: 'Response headers, each from a json-logic expression giving a string.',
      },
      body: {
        'x-expression': true,
        description: 'json-logic that builds the response body; by default the message itself.',
      },
    },
  },
  defaults: {},
  sideEffects: false,
  docs: 'Answers the caller of a webhook whose trigger sets `replyTimeoutMs`: the caller gets `status`, `headers` and `body` (JSON, or the string as it is when a `content-type` header other than JSON is set) as soon as this node runs, instead of `202 {"runId"}`. The run is accepted and recorded before anything waits; when the flow does not reach this node within the timeout, or ends without it, the caller gets the usual 202 with the run id and the run goes on. The first answer of a run counts. Test runs, safe test runs and replays answer nobody: the node only passes the message on. Example: `{"status": {"if": [{"var": "accepted"}, 200, 409]}, "headers": {"x-order": {"var": "orderNumber"}}, "body": {"var": "quote"}}`.',
});
