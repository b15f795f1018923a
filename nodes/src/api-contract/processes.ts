import { Type } from '@sinclair/typebox';
import { processSchema } from '../sdk/process/process-schema';
import type { ProcessDocument } from '../sdk/process/process-types';
import { document, JsonRecord, NextCursor, Nullable, strict, Timestamp } from './common';

export const Process = document<ProcessDocument>(processSchema);
export const ProcessList = strict({
  processes: Type.Array(Process),
  editable: Type.Boolean({
    description: 'Whether this key may deploy process versions here (admin, development)',
  }),
});

/** The answer to `PUT /api/processes/{id}` (201 created, 200 the same version again). */
export const ProcessDeployed = strict({
  id: Type.String(),
  version: Type.String(),
  hash: Type.String({ description: 'sha256 of the canonical process JSON' }),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  created: Type.Boolean({ description: 'False when this content was deployed already' }),
  active: Type.Boolean({
    description: 'Whether the control tower now observes with this version',
  }),
});

const ProcessVersionSummary = strict({
  version: Type.String(),
  name: Type.String(),
  hash: Type.String(),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  from: Type.Optional(Type.String()),
  commit: Type.Optional(Type.String()),
  promotionId: Type.Optional(Type.String()),
  active: Type.Optional(Type.Boolean({ description: 'The version the control tower observes' })),
});
export const ProcessVersionList = strict({
  id: Type.String(),
  versions: Type.Array(ProcessVersionSummary),
});

/** One deployed process version: immutable, with its content hash and who deployed it. */
export const ProcessDeployment = strict({
  process: Process,
  hash: Type.String(),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  from: Type.Optional(Type.String({ description: 'The environment it was promoted from' })),
  commit: Type.Optional(Type.String()),
  promotionId: Type.Optional(Type.String()),
});

const Severity = Type.Union(
  (['low', 'medium', 'high', 'critical'] as const).map((s) => Type.Literal(s)),
);
const count = Type.Integer();

/** Objects per stage with aging buckets, open breaches, failed checks and indicators. */
export const ProcessSummary = strict({
  process: Type.String(),
  name: Type.String(),
  businessKey: Type.String(),
  objects: count,
  stages: Type.Array(
    strict({
      stage: Type.String(),
      name: Type.String(),
      system: Type.Optional(Type.String()),
      count,
      aging: Type.Array(strict({ bucket: Type.String(), count })),
    }),
  ),
  breaches: Type.Array(strict({ owner: Type.String(), severity: Severity, objects: count })),
  failedChecks: Type.Array(
    strict({
      check: Type.String(),
      name: Type.String(),
      owner: Type.String(),
      severity: Severity,
      objects: count,
    }),
  ),
  indicators: Type.Array(strict({ indicator: Type.String(), name: Type.String(), objects: count })),
  at: Timestamp,
});

const BreachStatus = Type.Union(
  (['open', 'acknowledged', 'resolved'] as const).map((s) => Type.Literal(s)),
);

const objectRowFields = {
  key: Type.String(),
  stage: Type.String(),
  stageSince: Timestamp,
  firstAt: Timestamp,
  updatedAt: Timestamp,
  openBreaches: Type.Array(
    strict({
      id: Type.String(),
      expectation: Type.String(),
      name: Type.String(),
      owner: Type.String(),
      severity: Severity,
      breachedAt: Timestamp,
      status: BreachStatus,
    }),
  ),
  failedChecks: Type.Array(Type.String()),
  nextDeadline: Type.Optional(Timestamp),
};
export const ObjectRow = strict(objectRowFields);
export const ObjectPage = strict({ objects: Type.Array(ObjectRow), nextCursor: NextCursor });

/** A missed deadline: `<expectation id>:<deadline epoch ms>`, breached once. */
export const Breach = strict({
  id: Type.String({ description: '<expectation id>:<deadline epoch ms>' }),
  expectation: Type.String(),
  name: Type.String(),
  owner: Type.String(),
  severity: Severity,
  since: Timestamp,
  deadline: Timestamp,
  breachedAt: Timestamp,
  status: BreachStatus,
  resolvedAt: Type.Optional(Timestamp),
  ack: Type.Optional(strict({ by: Type.String(), at: Timestamp, comment: Type.String() })),
  escalation: Type.Optional(
    strict({
      runId: Type.Optional(Type.String()),
      notified: Type.Optional(Type.Boolean()),
      error: Type.Optional(Type.String()),
    }),
  ),
});

const FailedCheck = strict({
  check: Type.String(),
  name: Type.String(),
  owner: Type.String(),
  severity: Severity,
  at: Timestamp,
  values: Type.Record(Type.String(), JsonRecord, {
    description: 'The attributes the rule saw, per milestone',
  }),
});

/** One object: its timeline, open expectations with time left, breaches and failed checks. */
export const ProcessObject = strict({
  ...objectRowFields,
  process: Type.String(),
  timeline: Type.Array(
    strict({
      id: Type.String(),
      milestone: Type.String(),
      name: Type.String(),
      system: Nullable(Type.String()),
      occurredAt: Timestamp,
      recordedAt: Timestamp,
      flowId: Type.String(),
      runId: Type.String(),
      run: Type.String({ description: 'The run’s API path' }),
      stepIndex: Type.Optional(Type.Integer()),
      nodeId: Type.Optional(Type.String()),
      attributes: JsonRecord,
      latencyMs: Type.Optional(Type.Number()),
    }),
  ),
  open: Type.Array(
    strict({
      expectation: Type.String(),
      name: Type.String(),
      since: Timestamp,
      deadline: Timestamp,
      expect: Nullable(Type.String()),
      owner: Nullable(Type.String()),
      severity: Nullable(Severity),
      timeLeftMs: Type.Number(),
    }),
  ),
  breaches: Type.Array(Breach),
  failedChecks: Type.Array(FailedCheck),
});

export const AckRequest = strict({ comment: Type.String({ minLength: 1, maxLength: 2000 }) });
