import type {
  Emission,
  JsonObject,
  JsonValue,
  MessageMeta,
  SerializedError,
} from '@crossdock/nodes';

/** A message waiting to be delivered to a node: one step of a run once executed. */
export interface PendingMessage {
  /** `m<seq>`, unique in the run; the idempotency key of its step derives from it. */
  id: string;
  nodeId: string;
  /** The input port it arrives on (`in`, or `$timer` for a timer wake-up). */
  port: string;
  payload: JsonValue;
  meta: MessageMeta;
  /** The attempt this delivery is (1-based). */
  attempt: number;
  /** Epoch ms before which the message must not run (retry backoff, delay, timer). */
  notBefore?: number;
  /** Set for timer wake-ups, so a node that sets the same timer again replaces it. */
  timerKey?: string;
}

/** Where a run is: saved after every step, so a run resumes on any worker. */
export interface RunCheckpoint {
  /** Last message sequence number handed out. */
  seq: number;
  /** Steps recorded so far (attempts included). */
  steps: number;
  pending: PendingMessage[];
}

/** `replaying`: a failed run an operator replayed (`replayedBy` names the new run). */
export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'replaying',
  'discarded',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export type StepStatus = 'succeeded' | 'failed' | 'retrying';

/** One attempt of one node on one message, as the trace shows it. */
export interface StepRecord {
  index: number;
  nodeId: string;
  nodeType: string;
  messageId: string;
  attempt: number;
  status: StepStatus;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  inputPort: string;
  input: JsonValue;
  /** What left the node, per port. */
  output?: Emission[];
  /** The ports taken (`error` when the error was routed). */
  ports: string[];
  error?: SerializedError;
  /** When retrying: how long until the next attempt. */
  retryInMs?: number;
  /** In a safe test run or a shadow run: the requests this step would have sent and did not. */
  notSent?: { method: string; url: string; body: JsonValue; unmatched?: boolean }[];
  /** On an active run a shadow watches: what this step sent and what came back. */
  sent?: { method: string; url: string; body: JsonValue; status: number; response: JsonValue }[];
}

/** A shadow run's tie to the active run it mirrors, and the answers taken from that run. */
export interface ShadowLink {
  shadowId: string;
  /** The active version's run whose trigger this run repeats. */
  runId: string;
  /** Per node id of this version: the answers its requests get, in order. */
  answers: Record<string, { status: number; body: JsonValue }[]>;
  /** Answers of the active run's steps no node id claimed, handed out in order. */
  sequence: { status: number; body: JsonValue }[];
}

/** Why a run failed: the node, the error and the message it could not process. */
export interface RunFailure {
  nodeId: string;
  nodeType: string;
  messageId: string;
  error: SerializedError;
  at: string;
}

/** What an operator did about a failed run. */
export interface RunResolution {
  action: 'replayed' | 'discarded';
  by: string;
  at: string;
  reason?: string;
  runId?: string;
}

/** The trace header of a run (`GET /api/runs/:id` adds `steps`). */
export interface RunRecord {
  id: string;
  flowId: string;
  version: string;
  status: RunStatus;
  trigger: JsonValue;
  businessKeys: Record<string, string>;
  idempotencyKey?: string;
  /** The flow's ordering key evaluated on the trigger: runs with it start one after another. */
  orderingKey?: string;
  correlationId: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  test?: boolean;
  /** A safe test run: side-effecting nodes answer from pinned samples instead of sending. */
  dryRun?: { answers: Record<string, JsonValue>; shadow?: ShadowLink };
  replayOf?: { runId: string; fromNode?: string; by: string };
  /** A webhook caller waits for this run's `flow.respond` answer (request-reply). */
  awaitsReply?: true;
  /** The run that replays this one (a failed run is replayed at most once). */
  replayedBy?: string;
  replays?: string[];
  failure?: RunFailure;
  resolution?: RunResolution;
  stepCount: number;
}

export type RunWithSteps = RunRecord & { steps: StepRecord[] };

export type { JsonObject };
