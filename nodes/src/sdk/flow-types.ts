import type { JsonObject, JsonValue } from './json';

/** A json-logic expression: plain JSON, evaluated by the expressions module. */
export type Expression = JsonValue;

/** The current flow file format; older files are migrated up on load. */
export const FLOW_SCHEMA_VERSION = 1;

export interface BackoffPolicy {
  /** Delay before the second attempt. */
  initialMs: number;
  /** Each further delay is the previous one times this. */
  multiplier: number;
  /** No delay is longer than this, whatever the multiplier says. */
  maxMs: number;
  /** Fraction (0..1) of each delay that is randomised, so retries of many runs spread out. */
  jitter: number;
}

export interface RetryPolicy {
  /** Total attempts including the first; 1 means no retry. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export interface FlowSettings {
  /** json-logic over the trigger payload; a repeated key starts no second run. */
  idempotencyKey?: Expression;
  /**
   * json-logic over the trigger payload: runs whose keys are equal start in the order they were
   * accepted and never overlap (pick, pack, ship of one order); other keys run in parallel.
   */
  orderingKey?: Expression;
  /** Named json-logic expressions over the trigger payload, recorded and searchable per run. */
  businessKeys?: Record<string, Expression>;
  /** 1 (most urgent) to 10; runs of higher-priority flows are taken first. */
  priority?: number;
  /** Default retry policy for every node that has none of its own. */
  retry?: RetryPolicy;
  /** Longest a whole run may take. */
  runTimeoutMs?: number;
  /** Default longest one node attempt may take. */
  nodeTimeoutMs?: number;
  /** How long an idempotency key is remembered; longer than any partner's resend window. */
  dedupeWindowMs?: number;
}

export interface Position {
  x: number;
  y: number;
}

export interface FlowNode {
  /** Stable, opaque; renaming a node never changes it. */
  id: string;
  /** A node type id from the catalog, e.g. `rule.branch`. */
  type: string;
  name: string;
  position: Position;
  config: JsonObject;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Free text for the analyst; ignored at run time. */
  notes?: string;
}

export interface FlowEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** One flow file, `flows/<id>.flow.json`: the contract between designer, runtime and git. */
export interface FlowDocument {
  $schema?: string;
  schemaVersion: number;
  id: string;
  name: string;
  /** Semantic version; a changed flow is promoted only with a bumped version. */
  version: string;
  description?: string;
  settings: FlowSettings;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The implicit output port every node has, taken when the node fails for good. */
export const ERROR_PORT = 'error';
