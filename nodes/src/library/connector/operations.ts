import type { JsonValue } from '../../sdk/json';
import { defineNode, type NodeManifest } from '../../sdk/manifest';

/** One documented call a system connector offers: a method, a path template and a body. */
export interface RestOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path on the connection's base URL; `{{field}}` comes from the message. */
  path: string;
  /** json-logic over the message that builds the body; absent sends the message itself (none for GET). */
  body?: JsonValue;
  /** What the operation does, for the node reference and the palette. */
  description: string;
  /** What the body carries, in words (e.g. "the canonical Shipment"). */
  bodyDescription: string;
}

export type OperationCatalog = Readonly<Record<string, RestOperation>>;

interface OperationConnectorSpec {
  type: string;
  system: string;
  title: string;
  description: string;
  operations: OperationCatalog;
  defaultOperation: string;
  example: string;
}

function operationTable(operations: OperationCatalog): string {
  const rows = Object.entries(operations).map(
    ([name, op]) =>
      `| \`${name}\` | ${op.method} | \`${op.path}\` | ${op.bodyDescription} | ${op.description} |`,
  );
  return [
    '| operation | method | path | body | what it does |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * Declares a system connector (ERP, WMS, TMS, carrier) as a catalog of REST operations on top
 * of `connector.http`: the same auth, timeouts, error classification and host restriction.
 */
export function operationConnectorManifest(spec: OperationConnectorSpec): NodeManifest {
  return defineNode({
    type: spec.type,
    version: 1,
    category: 'connector',
    title: spec.title,
    description: spec.description,
    inputs: [{ id: 'in', label: 'Message' }],
    outputs: [{ id: 'out', label: 'Response' }],
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['connection', 'operation'],
      properties: {
        connection: {
          type: 'string',
          minLength: 1,
          description: `Name of a connection whose system is "${spec.system}".`,
        },
        operation: {
          type: 'string',
          enum: Object.keys(spec.operations),
          description: 'Which documented operation to call (see the table).',
        },
        body: {
          'x-expression': true,
          description: "json-logic that replaces the operation's default body.",
        },
        query: {
          type: 'object',
          additionalProperties: { 'x-expression': true },
          description: 'Extra query parameters, each from a json-logic expression.',
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
    defaults: { connection: spec.system, operation: spec.defaultOperation, output: 'body' },
    sideEffects: true,
    connection: { systems: [spec.system] },
    retry: { maxAttempts: 5 },
    docs: [
      `${spec.description} It is \`connector.http\` with a fixed list of operations: the connection (system \`${spec.system}\`) supplies base URL and auth; \`{{field}}\` in a path is read from the message; the body is built as the table says unless \`body\` replaces it. Side-effecting calls carry an \`Idempotency-Key\`; errors are classified like \`connector.http\` (408/429/5xx and network errors transient, other 4xx permanent).`,
      '',
      operationTable(spec.operations),
      '',
      `Example: ${spec.example}`,
    ].join('\n'),
  });
}
