import type {
  Connection,
  HttpConnection,
  TransportCapabilities,
  TransportKind,
} from './connections';
import type { ExpressionBudget } from './expressions/budget';
import type { Expression } from './flow-types';
import type { JsonObject, JsonValue } from './json';

/** Where a message came from when a split fanned it out: aggregate uses it to collect it back. */
export interface SplitFrame {
  /** Unique per split execution (run id + node id + message id). */
  id: string;
  index: number;
  count: number;
}

export interface MessageMeta {
  correlationId: string;
  /** Innermost split last. */
  splits: SplitFrame[];
}

/** The input port a timer wake-up arrives on (see `NodeContext.setTimer`). */
export const TIMER_PORT = '$timer';

export interface NodeInput {
  payload: JsonValue;
  /** The input port the message arrived on (`in` for most nodes, `TIMER_PORT` for a timer). */
  port: string;
  meta: MessageMeta;
}

export interface Emission {
  port: string;
  payload: JsonValue;
  /** Replaces the outgoing message's split stack (split pushes a frame, aggregate pops one). */
  splits?: SplitFrame[];
}

/** What a node produced: zero emissions means the message stops here (a filter dropped it). */
export interface NodeResult {
  emissions: Emission[];
  /** Deliver the emissions after this long (the delay node). */
  delayMs?: number;
  /**
   * Park the step's input in the exception queue for an operator (the dead-letter node): the
   * runtime records it like a permanent failure with code `dead-lettered` and this reason, not
   * routed to the `error` port. Emissions are ignored when it is set.
   */
  deadLetter?: DeadLetter;
}

/** Why a message was parked, as an operator reads it in the exception queue. */
export interface DeadLetter {
  reason: string;
  details?: JsonValue;
}

export interface NodeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A connection as the environment binds it, with the name the flow used. */
export type ResolvedConnection = Connection & { name: string };

/** An HTTP connection as the environment binds it (what `fetch`-based connectors use). */
export type ResolvedHttpConnection = HttpConnection & { name: string };

/** Key-value state of one run, shared by every worker (Redis-backed in the runtime). */
export interface RunState {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  /** Appends atomically and returns the list as it is after the append. */
  append(key: string, value: JsonValue): Promise<JsonValue[]>;
  delete(key: string): Promise<void>;
}

/** Process-wide cache with expiry, shared by workers (e.g. OAuth2 tokens). */
export interface SharedCache {
  get(key: string): Promise<JsonValue | undefined>;
  set(key: string, value: JsonValue, ttlMs: number): Promise<void>;
  /**
   * Stores the value only if the key is absent, atomically across workers. Returns undefined
   * when this caller stored it, else the value already there (so two workers never both win).
   */
  claim(key: string, value: JsonValue, ttlMs: number): Promise<JsonValue | undefined>;
}

/** What a `flow.respond` node answers the webhook caller that waits for the run (request-reply). */
export interface WebhookReply {
  status: number;
  headers: Record<string, string>;
  body: JsonValue;
}

/**
 * What a fetch answers, as far as the node library reads it: the global fetch's `Response` is
 * one, and so is the lighter object the runtime's client returns (no web stream, no `Headers`).
 */
export interface FetchResponse {
  readonly status: number;
  readonly headers: FetchHeaders;
  /** Null when there is no body (a 204, a HEAD). */
  readonly body: FetchBody | null;
  /** The whole body as UTF-8 text, read once; readers with a size limit use `body` instead. */
  text(): Promise<string>;
}

/** A response's headers: names are case-insensitive, repeated headers come joined by ", ". */
export interface FetchHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  /** Lower-cased names in sorted order; each `set-cookie` on its own, like `Headers`. */
  forEach(callback: (value: string, name: string) => void): void;
}

/** A response body, read chunk by chunk so that a reader can stop at its size limit. */
export interface FetchBody {
  getReader(): FetchBodyReader;
  cancel(reason?: unknown): Promise<void>;
}

export interface FetchBodyReader {
  read(): Promise<{ done: true; value?: Uint8Array } | { done: false; value: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<FetchResponse>;

export interface EvaluateOptions {
  /** Named lookup tables for the `lookup` operation. */
  tables?: Record<string, Record<string, JsonValue>>;
  /** The run's clock for the `now` operation; executors pass `ctx.now()`. */
  now?: Date;
  /** Limits on what the evaluation may spend; the runtime sets them, executors leave them. */
  budget?: Partial<ExpressionBudget>;
}

/**
 * Everything an executor may use. No globals: time, ids, network and state all come from here,
 * so executors are deterministic under test.
 */
export interface NodeContext<C extends JsonObject = JsonObject> {
  config: C;
  runId: string;
  flowId: string;
  flowVersion: string;
  nodeId: string;
  /** 1-based attempt number of this step. */
  attempt: number;
  /** Stable across attempts and redeliveries of this step: send it with side effects. */
  idempotencyKey: string;
  connection: ResolvedConnection | undefined;
  /** Resolves a secret by name from the process environment or the secrets file. */
  secret(name: string): string | undefined;
  fetch: FetchLike;
  /**
   * The capability of the step's connection when it is of `kind` (publish to a broker, and what
   * later kinds add): pooled by the runtime, rate-limited and address-checked like `fetch`, and
   * recording instead of sending in a safe test run. Throws a permanent `connection-kind` error
   * when the step has no connection of that kind.
   */
  transport<K extends TransportKind>(kind: K): TransportCapabilities[K];
  log: NodeLogger;
  now(): Date;
  signal: AbortSignal;
  /**
   * Epoch ms (`Date.now()`) by which `signal` aborts because the step is out of time; absent
   * when the runtime does not say. A call whose own timeout would end later needs no timer.
   */
  deadline?: number;
  evaluate(expression: Expression, data: JsonValue, options?: EvaluateOptions): JsonValue;
  runState: RunState;
  cache: SharedCache;
  /** Asks the runtime to call this node again after `afterMs` with input port `TIMER_PORT`. */
  setTimer(key: string, afterMs: number): Promise<void>;
  /** Starts a run of another deployed flow (compensation); returns its run id. */
  startFlow(flowId: string, payload: JsonValue): Promise<string>;
  /**
   * The trading-partner profile `flows/partners/<id>.json` as loaded (and validated) by the
   * runtime at start; undefined when there is none. Absent where no profiles are loaded.
   */
  partner?(id: string): JsonObject | undefined;
  /**
   * Answers the webhook caller that started this run and waits for its result (request-reply).
   * Absent when nobody waits: test runs, replays, runs of other triggers. The first answer of a
   * run is the one given; resolves false when an earlier one was (a repeated step).
   */
  respond?(reply: WebhookReply): Promise<boolean>;
  /**
   * Records a business process milestone in the control tower, idempotent per step (a retry
   * records it once). Absent where no control tower runs.
   */
  recordMilestone?(milestone: ExplicitMilestone): Promise<MilestoneRecorded>;
}

/** A milestone a flow records explicitly (`flow.milestone`), for the control tower. */
export interface ExplicitMilestone {
  /** Process id (`flows/processes/<id>.process.json`). */
  process: string;
  /** Milestone id in that process. */
  milestone: string;
  /** The business object's key; absent: the run's business key the process names. */
  key?: string;
  /** ISO 8601; absent: now. */
  occurredAt?: string;
  attributes: Record<string, JsonValue>;
}

/** What recording a milestone did: `recorded` is false when this step already recorded it. */
export interface MilestoneRecorded {
  recorded: boolean;
  key: string;
  /** The object's stage after it. */
  stage: string;
}

export type NodeExecutor<C extends JsonObject = JsonObject> = (
  input: NodeInput,
  ctx: NodeContext<C>,
) => Promise<NodeResult>;

/** One emission on `out`: the common case. */
export function emit(payload: JsonValue, port = 'out'): NodeResult {
  return { emissions: [{ port, payload }] };
}
