import { type Static, Type } from '@sinclair/typebox';
import { Json, Nullable, StringMap, strict, Timestamp } from './common';
import { Flow } from './flows';

/** A shadow: version B of a flow dual-running beside the version active at its start. */
export const Shadow = strict({
  id: Type.String(),
  flowId: Type.String(),
  version: Type.String({ description: 'The candidate version (B)' }),
  deployedVersion: Type.String({
    description: 'What its runs pin: <version>+shadow.<hash> when sent as a document',
  }),
  hash: Type.String({ description: 'Content hash; promotion counts shadows of the same content' }),
  activeVersion: Type.String({ description: 'The version (A) whose runs are mirrored' }),
  sample: Type.Number({ minimum: 0, maximum: 1 }),
  until: Type.Optional(Timestamp),
  mapping: StringMap,
  ignore: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
  startedAt: Timestamp,
  startedBy: Type.String(),
  stoppedAt: Type.Optional(Timestamp),
  stoppedBy: Type.Optional(Type.String()),
});
export type Shadow = Static<typeof Shadow>;
export const ShadowList = strict({ shadows: Type.Array(Shadow) });

export const StartShadowRequest = strict({
  version: Type.String(),
  flow: Type.Optional(Flow),
  sample: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  until: Type.Optional(Timestamp),
  mapping: Type.Optional(StringMap),
  ignore: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Fields left out: a name (sentAt) or a path (body.lines[].id)',
    }),
  ),
});

const FieldDifference = strict({
  field: Type.String({ description: 'method, path, status or body.<path>' }),
  a: Type.Optional(Json),
  b: Type.Optional(Json),
  nodeId: Type.Optional(Type.String()),
});

const OutboundRequest = strict({
  nodeId: Type.String(),
  method: Type.String(),
  url: Type.String(),
  body: Json,
});

const Outcome = Type.Union([
  Type.Literal('identical'),
  Type.Literal('differing'),
  Type.Literal('only-in-a'),
  Type.Literal('only-in-b'),
]);

export const ComparedPair = strict({
  outcome: Outcome,
  differences: Type.Array(FieldDifference),
  onlyInA: Type.Array(OutboundRequest),
  onlyInB: Type.Array(OutboundRequest),
  businessKeys: StringMap,
  aRunId: Type.String(),
  bRunId: Type.String(),
  aStatus: Type.String(),
  bStatus: Type.String(),
  at: Timestamp,
});
export type ComparedPair = Static<typeof ComparedPair>;

/** `settings.cutover` of an environment checked against a shadow's counts. */
export const CutoverCheck = strict({
  criterion: strict({
    minRuns: Type.Integer(),
    minIdenticalPercent: Type.Number(),
    fields: Type.Array(Type.String()),
    requireForPromotion: Type.Boolean(),
  }),
  met: Type.Boolean(),
  checks: Type.Array(strict({ name: Type.String(), met: Type.Boolean(), detail: Type.String() })),
});

const count = Type.Integer();

/** A differing pair kept as an example of one field, linked to both runs. */
export const ShadowExample = strict({
  businessKeys: StringMap,
  aRunId: Type.String(),
  bRunId: Type.String(),
  field: Type.String(),
  a: Json,
  b: Json,
});

/** The reconciliation report of a shadow. */
export const ShadowReport = strict({
  shadow: Shadow,
  counts: strict({
    mirrored: count,
    compared: count,
    identical: count,
    differing: count,
    onlyInA: count,
    onlyInB: count,
  }),
  timeline: Type.Array(
    strict({ at: Type.String(), counts: Type.Record(Type.String(), Type.Integer()) }),
    { description: 'Outcomes per minute' },
  ),
  fields: Type.Array(
    strict({ field: Type.String(), count: Type.Integer(), examples: Type.Array(ShadowExample) }),
    { description: 'Differing fields, most frequent first, with examples linked to both runs' },
  ),
  differences: Type.Array(ComparedPair, { description: 'Pairs that were not identical' }),
  cutover: Nullable(CutoverCheck),
});
export type ShadowReport = Static<typeof ShadowReport>;
