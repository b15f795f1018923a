import { type Static, Type } from '@sinclair/typebox';
import { Nullable, strict, Timestamp } from './common';
import { Flow } from './flows';
import { CutoverCheck } from './shadows';

/** One promotion into this runtime's environment (or a rollback), kept for the audit trail. */
export const Promotion = strict({
  id: Type.String(),
  kind: Type.Union([Type.Literal('promotion'), Type.Literal('rollback')]),
  flowId: Type.String(),
  version: Type.String(),
  hash: Type.String({ description: 'sha256 of the canonical flow JSON' }),
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
});
export type Promotion = Static<typeof Promotion>;
export const PromotionList = strict({ promotions: Type.Array(Promotion) });

export const PromoteRequest = strict({
  flow: Flow,
  from: Type.Optional(Type.String()),
  commit: Type.Optional(Type.String()),
  dryRun: Type.Optional(Type.Boolean()),
});

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
    strict(
      { version: Type.String(), hash: Type.String(), flow: Flow },
      'What the environment runs now (null when the flow is new here)',
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
