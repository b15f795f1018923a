import { formatJsonPath, type JsonPath } from './json';

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes: tools and tests match on these, never on message text. */
export type DiagnosticCode =
  | 'json.syntax'
  | 'schema.invalid'
  | 'flow.id-mismatch'
  | 'node.duplicate-id'
  | 'node.unknown-type'
  | 'node.config-invalid'
  | 'edge.duplicate-id'
  | 'edge.missing-node'
  | 'edge.unknown-port'
  | 'edge.duplicate'
  | 'trigger.missing'
  | 'trigger.multiple'
  | 'trigger.has-input'
  | 'node.unreachable'
  | 'node.input-unconnected'
  | 'graph.cycle'
  | 'expression.unknown-operation'
  | 'expression.invalid'
  | 'connection.missing'
  | 'connection.wrong-system'
  | 'connection.wrong-kind'
  | 'webhook.unsigned-idempotency'
  | 'webhook.undeclared-secret'
  | 'environment.invalid'
  | 'partner.invalid'
  | 'process.id-mismatch'
  | 'process.duplicate-id'
  | 'process.unknown-milestone'
  | 'process.unknown-flow'
  | 'process.unknown-node'
  | 'process.unknown-port'
  | 'process.business-key'
  | 'process.duration'
  | 'process.unknown-connection';

/** One problem found in a flow, precise enough for the canvas to point at it. */
export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  /** A sentence an analyst understands: what is wrong and, where it helps, what to do. */
  message: string;
  /** Path segments into the flow document, for editors that focus a field. */
  pointer: JsonPath;
  /** The same path as text, e.g. `$.nodes[2].config.condition`. */
  path: string;
  nodeId?: string;
  edgeId?: string;
  /** 1-based position in the source text, when the flow was parsed from text. */
  line?: number;
  column?: number;
}

export function diagnostic(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  pointer: JsonPath,
  ids: { nodeId?: string | undefined; edgeId?: string | undefined } = {},
): Diagnostic {
  const d: Diagnostic = { severity, code, message, pointer, path: formatJsonPath(pointer) };
  if (ids.nodeId !== undefined) d.nodeId = ids.nodeId;
  if (ids.edgeId !== undefined) d.edgeId = ids.edgeId;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
