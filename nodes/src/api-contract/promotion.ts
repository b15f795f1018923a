import { type Static, Type } from '@sinclair/typebox';
import { Nullable, strict, Timestamp } from './common';
import { Flow } from './flows';
import { Process } from './processes';
import { CutoverCheck } from './shadows';

/**
 * One promotion into this runtime's environment (or a rollback), kept for the audit trail: of a
 * flow (`flowId`) or of a business process (`processId`).
 */
export const Promotion = strict({
  id: Type.String(),
  kind: Type.Union([Type.Literal('promotion'), Type.Literal('rollback')]),
  flowId: Type.Optional(Type.String({ description: 'The flow promoted or rolled back' })),
  processId: Type.Optional(
    Type.String({ description: 'The business process promoted or rolled back' }),
  ),
  version: Type.String(),
  hash: Type.String({ description: 'sha256 of the canonical flow or process JSON' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('published')]),
  from: Type.Optional(Type.String()),
  commit: Type.Optional(Type.String()),
  requestedBy: Type.String(),
  requestedAt: Timestamp,
  previousVersion: Type.Optional(Type.String()),
  approvalsRequired: Type.Integer(),
  approvals: Type.Array(
    strict({
      by: Type.String(),
      keyId: Type.String({ description: 'Fingerprint of the approving key' }),
      at: Timestamp,
    }),
  ),
  publishedAt: Type.Optional(Timestamp),
  flow: Type.Optional(Flow),
  process: Type.Optional(Process),
});
export type Promotion = Static<typeof Promotion>;
export const PromotionList = strict({ promotions: Type.Array(Promotion) });

const origin = {
  from: Type.Optional(Type.String()),
  commit: Type.Optional(Type.String()),
  dryRun: Type.Optional(Type.Boolean()),
};
/** A flow version, or a business process version, to promote here. */
export const PromoteRequest = Type.Union([
  strict({ flow: Flow, ...origin }),
  strict({ process: Process, ...origin }),
]);

/** What a promotion request came to. */
export const PromoteOutcome = strict({
  environment: Type.String(),
  status: Type.Union([
    Type.Literal('ready'),
    Type.Literal('unchanged'),
    Type.Literal('pending'),
    Type.Literal('published'),
  ]),
  promotion: Type.Optional(Promotion),
  current: Nullable(
    Type.Union(
      [
        strict({ version: Type.String(), hash: Type.String(), flow: Flow }),
        strict({ version: Type.String(), hash: Type.String(), process: Process }),
      ],
      { description: 'What the environment runs now (null when the flow or process is new here)' },
    ),
  ),
  cutover: Type.Optional(
    strict({
      ...CutoverCheck.properties,
      required: Type.Boolean({ description: 'Promotion here needs the criterion met' }),
      shadowId: Type.Optional(Type.String()),
    }),
  ),
});
export type PromoteOutcome = Static<typeof PromoteOutcome>;

export const RollbackRequest = strict({ version: Type.Optional(Type.String()) });
