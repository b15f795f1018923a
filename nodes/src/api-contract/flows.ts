import { type Static, type TUnsafe, Type } from '@sinclair/typebox';
import { flowSchema } from '../sdk/flow-schema';
import type { FlowDocument } from '../sdk/flow-types';
import { document, Json, Nullable, strict, Timestamp } from './common';
import { Emission } from './runs';

/** A flow document, valid against `flows/flow.schema.json`. */
export const Flow: TUnsafe<FlowDocument> = document<FlowDocument>(flowSchema);

/** A validator finding (the same validator runs in the designer, the CLI and the runtime). */
export const Diagnostic = strict({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
  code: Type.String(),
  message: Type.String(),
  pointer: Type.Array(Type.Union([Type.String(), Type.Integer()])),
  path: Type.String(),
  nodeId: Type.Optional(Type.String()),
  edgeId: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
});

export const FlowSummary = strict({
  id: Type.String(),
  name: Type.String(),
  latestVersion: Nullable(Type.String({ description: 'The version new runs start on' })),
  versions: Type.Integer(),
});
export const FlowList = strict({ flows: Type.Array(FlowSummary) });

/** `PUT /api/flows/{id}`: what was deployed. */
export const Deployed = strict({
  id: Type.String(),
  version: Type.String(),
  hash: Type.String(),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  created: Type.Boolean({ description: 'False when this content was deployed already' }),
});
export type Deployed = Static<typeof Deployed>;

export const VersionSummary = strict({
  version: Type.String(),
  name: Type.String(),
  hash: Type.String(),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  test: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String()),
  commit: Type.Optional(Type.String()),
  active: Type.Optional(
    Type.Boolean({ description: 'The version new runs start on (the latest, or a rollback’s)' }),
  ),
});
export const VersionList = strict({ id: Type.String(), versions: Type.Array(VersionSummary) });

/** One deployed version: immutable, with its content hash and who deployed it. */
export const Deployment = strict({
  flow: Flow,
  hash: Type.String(),
  deployedAt: Timestamp,
  deployedBy: Type.String(),
  test: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ description: 'The environment it was promoted from' })),
  commit: Type.Optional(Type.String()),
  promotionId: Type.Optional(Type.String()),
});
export type Deployment = Static<typeof Deployment>;

export const FlowFileSummary = strict({
  id: Type.String(),
  name: Type.String(),
  version: Nullable(Type.String()),
  description: Nullable(Type.String()),
  updatedAt: Timestamp,
  valid: Type.Boolean(),
  errors: Type.Integer(),
  warnings: Type.Integer(),
});
export type FlowFileSummary = Static<typeof FlowFileSummary>;
export const FlowFileList = strict({ files: Type.Array(FlowFileSummary) });

export const FlowFile = strict({
  id: Type.String(),
  text: Type.String(),
  flow: Type.Unsafe<FlowDocument | null>({
    description: 'The parsed document; with errors it may not match the flow schema',
  }),
  diagnostics: Type.Array(Diagnostic),
  updatedAt: Timestamp,
});
export type FlowFile = Static<typeof FlowFile>;

export const SaveFlowFile = strict({ flow: Flow });
export const SavedFlowFile = strict({
  id: Type.String(),
  text: Type.String(),
  diagnostics: Type.Array(Diagnostic),
  previousText: Nullable(Type.String()),
});
export type SavedFlowFile = Static<typeof SavedFlowFile>;

export const Sample = strict({ name: Type.String(), payload: Json });
export type Sample = Static<typeof Sample>;
export const SampleList = strict({ samples: Type.Array(Sample) });

/** A node's pinned samples: the message it reads and, for a side-effecting node, its answer. */
export const NodePin = strict({ input: Type.Optional(Json), output: Type.Optional(Json) });
export type NodePin = Static<typeof NodePin>;
export const PinList = strict({ pins: Type.Record(Type.String(), NodePin) });
export const PinSaved = strict({ nodeId: Type.String(), pin: NodePin });

export const TestRunRequest = strict({
  flow: Flow,
  payload: Type.Optional(Json),
  send: Type.Optional(Type.Boolean()),
  stopAt: Type.Optional(Type.String()),
});
export const TestRunStarted = strict({
  runId: Type.String(),
  version: Type.String({ description: '<version>+test.<hash>' }),
  sent: Type.Boolean(),
});

const RecordedStep = strict({
  nodeId: Type.String(),
  occurrence: Type.Integer(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  ports: Type.Array(Type.String()),
  input: Type.Optional(Json),
  output: Type.Optional(Type.Array(Emission)),
  error: Type.Optional(strict({ code: Type.String(), message: Type.String() })),
});

/** A finished run saved as `flows/tests/<flow id>/<name>.json`. */
export const TestCase = strict({
  name: Type.String(),
  flowId: Type.String(),
  recordedVersion: Type.String(),
  recordedFrom: Type.String(),
  recordedAt: Timestamp,
  triggerNodeId: Type.Optional(Type.String()),
  trigger: Json,
  recordings: Type.Array(RecordedStep),
  expected: Type.Array(RecordedStep),
  ignore: Type.Optional(Type.Array(Type.String())),
});
export const SaveTestCase = strict({
  name: Type.String(),
  overwrite: Type.Optional(Type.Boolean()),
});
export const TestCaseSaved = strict({ path: Type.String(), testCase: TestCase });
export type TestCaseSaved = Static<typeof TestCaseSaved>;
export const TestCaseList = strict({ testCases: Type.Array(TestCase) });
