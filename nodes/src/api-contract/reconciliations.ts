import { Type } from '@sinclair/typebox';
import { reconciliationSchema } from '../sdk/reconciliation/reconciliation-schema';
import type { ReconciliationDocument } from '../sdk/reconciliation/reconciliation-types';
import { document, Json, JsonRecord, Nullable, strict, Timestamp } from './common';

export const Reconciliation = document<ReconciliationDocument>(reconciliationSchema);

const count = Type.Integer();
export const ComparisonCounts = strict({
  keys: count,
  equal: count,
  different: count,
  missingLeft: count,
  missingRight: count,
});
const Side = Type.Union([Type.Literal('left'), Type.Literal('right')]);
const RunStatus = Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]);
const Action = Type.Union([Type.Literal('approve'), Type.Literal('accept')]);

/** A steward's decision on a difference, as the audit keeps it. */
export const Decision = strict({
  id: Type.String({ description: '<reconciliation>:<run>:<key>' }),
  reconciliation: Type.String(),
  key: Type.String(),
  run: Type.String(),
  action: Action,
  actor: Type.String(),
  at: Timestamp,
  comment: Type.String(),
  before: strict(
    { system: Type.String(), values: JsonRecord },
    "The drifted system's values before the decision",
  ),
  after: strict(
    { system: Type.String(), values: JsonRecord },
    'Its values after: the system of record’s (approve) or unchanged (accept)',
  ),
  correctionRun: Type.Optional(Type.String({ description: 'Approve: the correction flow run' })),
});

const SideSystem = strict({ side: Side, system: Type.String() });

export const Difference = strict({
  key: Type.String(),
  status: Type.Union([
    Type.Literal('different'),
    Type.Literal('missing-left'),
    Type.Literal('missing-right'),
  ]),
  fields: Type.Array(
    strict({
      field: Type.String(),
      left: Json,
      right: Json,
      compared: strict({ left: Json, right: Json }),
    }),
  ),
  tower: Type.Optional(Type.String({ description: 'The control tower object of this key' })),
  drift: Type.Optional(
    strict(
      {
        systemOfRecord: SideSystem,
        drifted: SideSystem,
        fields: Type.Array(strict({ field: Type.String(), systemOfRecord: Json, drifted: Json })),
      },
      "Master data: the system of record's value and the drifted copy",
    ),
  ),
  records: Type.Optional(strict({ left: Json, right: Json })),
});

const runFields = {
  id: Type.String(),
  reconciliation: Type.String(),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  actor: Type.Optional(Type.String()),
  startedAt: Timestamp,
  finishedAt: Timestamp,
  status: RunStatus,
  error: Type.Optional(Type.String()),
  read: strict({ left: count, right: count }),
  counts: ComparisonCounts,
  differences: Type.Array(Difference),
  truncated: Type.Boolean(),
  duplicates: Type.Array(strict({ side: Side, key: Type.String() })),
  unkeyed: strict({ left: count, right: count }),
};

/** One run of a stream (`POST /api/reconciliations/{id}/run`). */
export const ReconciliationRun = strict(runFields);

export const ReconciliationList = strict({
  reconciliations: Type.Array(
    strict({
      id: Type.String(),
      name: Type.String(),
      kind: Type.String(),
      domain: Type.Optional(Type.String()),
      owner: Type.String(),
      schedule: strict({ cron: Type.String(), timeZone: Type.Optional(Type.String()) }),
      systems: strict({ left: Type.String(), right: Type.String() }),
      systemOfRecord: Type.Optional(Type.String()),
      latest: Nullable(
        strict({ run: Type.String(), at: Timestamp, status: RunStatus, counts: ComparisonCounts }),
      ),
    }),
  ),
});

/** A stream: its document, the latest run with each difference's decision, and the trend. */
export const ReconciliationDetail = strict({
  reconciliation: Reconciliation,
  latest: Nullable(
    strict({
      ...runFields,
      differences: Type.Array(strict({ ...Difference.properties, decision: Nullable(Decision) })),
    }),
  ),
  trend: Type.Array(
    strict({
      run: Type.String(),
      at: Timestamp,
      status: RunStatus,
      equal: count,
      different: count,
      missingLeft: count,
      missingRight: count,
    }),
  ),
});

export const DecisionList = strict({ decisions: Type.Array(Decision) });
export const DecisionRequest = strict({
  action: Action,
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
});
