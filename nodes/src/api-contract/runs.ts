import { type Static, Type } from '@sinclair/typebox';
import { Json, JsonRecord, NextCursor, StringMap, strict, Timestamp } from './common';

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'replaying',
  'discarded',
] as const;

const literals = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v)));

/** `replaying`: a failed run an operator replayed (`replayedBy` names the new run). */
export const RunStatus = Type.Union(RUN_STATUSES.map((s) => Type.Literal(s)));
export type RunStatus = (typeof RUN_STATUSES)[number];

export const StepStatus = literals(['succeeded', 'failed', 'retrying'] as const);

/** A classified error as a step or a failure records it. */
export const StepError = strict({
  name: Type.String(),
  errorClass: literals(['transient', 'permanent', 'unexpected'] as const),
  code: Type.String(),
  message: Type.String(),
  retryable: Type.Boolean(),
  retryAfterMs: Type.Optional(Type.Number()),
  details: Type.Optional(Type.Unknown({ description: 'Whatever the error carries (JSON)' })),
});

/** What left a node on one port. */
export const Emission = strict({
  port: Type.String(),
  payload: Json,
  splits: Type.Optional(
    Type.Array(strict({ id: Type.String(), index: Type.Integer(), count: Type.Integer() })),
  ),
});

/** One attempt of one node on one message, as the trace shows it. */
export const Step = strict({
  index: Type.Integer(),
  nodeId: Type.String(),
  nodeType: Type.String(),
  messageId: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  status: StepStatus,
  startedAt: Timestamp,
  endedAt: Timestamp,
  durationMs: Type.Number(),
  inputPort: Type.String(),
  input: Json,
  output: Type.Optional(Type.Array(Emission, { description: 'What left the node, per port' })),
  ports: Type.Array(Type.String(), {
    description: 'The ports taken (`error` when the error was routed)',
  }),
  error: Type.Optional(StepError),
  retryInMs: Type.Optional(
    Type.Number({ description: 'When retrying: how long until the next attempt' }),
  ),
  notSent: Type.Optional(
    Type.Array(
      strict({
        method: Type.String(),
        url: Type.String(),
        body: Json,
        unmatched: Type.Optional(Type.Boolean()),
      }),
      { description: 'Safe test or shadow run: the requests this step would have sent' },
    ),
  ),
  sent: Type.Optional(
    Type.Array(
      strict({
        method: Type.String(),
        url: Type.String(),
        body: Json,
        status: Type.Integer(),
        response: Json,
      }),
      { description: 'On an active run a shadow watches: what this step sent and got back' },
    ),
  ),
});
export type Step = Static<typeof Step>;

const Answer = strict({ status: Type.Integer(), body: Json });

/** A shadow run's tie to the active run it mirrors. */
export const ShadowLink = strict({
  shadowId: Type.String(),
  runId: Type.String(),
  answers: Type.Record(Type.String(), Type.Array(Answer)),
  sequence: Type.Array(Answer),
});

/** Why a run failed: the node, the error and the message it could not process. */
export const RunFailure = strict({
  nodeId: Type.String(),
  nodeType: Type.String(),
  messageId: Type.String(),
  error: StepError,
  at: Timestamp,
});

/** What an operator did about a failed run. */
export const RunResolution = strict({
  action: literals(['replayed', 'discarded'] as const),
  by: Type.String(),
  at: Timestamp,
  reason: Type.Optional(Type.String()),
  runId: Type.Optional(Type.String()),
});

const runFields = {
  id: Type.String(),
  flowId: Type.String(),
  version: Type.String({ description: 'The flow version the run is pinned to' }),
  status: RunStatus,
  trigger: Json,
  businessKeys: StringMap,
  idempotencyKey: Type.Optional(Type.String()),
  orderingKey: Type.Optional(
    Type.String({
      description:
        "The flow's ordering key on this trigger: runs with the same one start in acceptance order, one at a time",
    }),
  ),
  correlationId: Type.String(),
  createdAt: Timestamp,
  startedAt: Type.Optional(Timestamp),
  endedAt: Type.Optional(Timestamp),
  test: Type.Optional(Type.Boolean()),
  dryRun: Type.Optional(
    strict(
      { answers: JsonRecord, shadow: Type.Optional(ShadowLink) },
      'A safe test run: side-effecting nodes answer from pinned samples instead of sending',
    ),
  ),
  replayOf: Type.Optional(
    strict(
      { runId: Type.String(), fromNode: Type.Optional(Type.String()), by: Type.String() },
      'The run this one replays, who replayed it and from which node',
    ),
  ),
  awaitsReply: Type.Optional(
    Type.Literal(true, {
      description: 'A webhook caller waits for its flow.respond answer (request-reply)',
    }),
  ),
  replayedBy: Type.Optional(
    Type.String({ description: 'The run that replays this one (at most one)' }),
  ),
  replays: Type.Optional(Type.Array(Type.String())),
  failure: Type.Optional(RunFailure),
  resolution: Type.Optional(RunResolution),
  stepCount: Type.Integer(),
};

/** The trace header of a run, as lists return it. */
export const Run = strict(runFields);
export type Run = Static<typeof Run>;

/** A run with its steps (`GET /api/runs/{id}`). */
export const RunWithSteps = strict({ ...runFields, steps: Type.Array(Step) });
export type RunWithSteps = Static<typeof RunWithSteps>;

export const RunPage = strict({ runs: Type.Array(Run), nextCursor: NextCursor });
export type RunPage = Static<typeof RunPage>;

export const RunStarted = strict({ runId: Type.String() });
export const DuplicateRun = strict({
  runId: Type.String({ description: 'The run the same idempotency key started' }),
  duplicate: Type.Literal(true),
});

export const ReplayRequest = strict({
  fromNode: Type.Optional(Type.String()),
  input: Type.Optional(Json),
  fromStart: Type.Optional(Type.Boolean()),
});
export type ReplayRequest = Static<typeof ReplayRequest>;
export const ReplayStarted = strict({ runId: Type.String(), replayOf: Type.String() });

export const DiscardRequest = strict({ reason: Type.String({ minLength: 1 }) });

export const Queues = strict({
  queues: Type.Array(
    strict({
      name: Type.String(),
      prefix: Type.String(),
      counts: Type.Record(Type.String(), Type.Integer()),
    }),
  ),
});
