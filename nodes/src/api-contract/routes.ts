import { Type } from '@sinclair/typebox';
import { Json } from './common';
import {
  ConnectionDefinition,
  ConnectionList,
  ConnectionSaved,
  EnvironmentInfo,
  EnvironmentReloaded,
  Healthy,
  HookAccepted,
  HookReply,
  NodeList,
  NotReady,
  PartnerList,
  Ready,
} from './environment';
import {
  Deployed,
  Deployment,
  Flow,
  FlowFile,
  FlowFileList,
  FlowList,
  NodePin,
  PinList,
  PinSaved,
  SampleList,
  SavedFlowFile,
  SaveFlowFile,
  SaveTestCase,
  TestCaseList,
  TestCaseSaved,
  TestRunRequest,
  TestRunStarted,
  VersionList,
} from './flows';
import {
  AckRequest,
  Breach,
  ObjectPage,
  Process,
  ProcessDeployed,
  ProcessDeployment,
  ProcessList,
  ProcessObject,
  ProcessSummary,
  ProcessVersionList,
} from './processes';
import {
  PromoteOutcome,
  PromoteRequest,
  Promotion,
  PromotionList,
  RollbackRequest,
} from './promotion';
import {
  Decision,
  DecisionList,
  DecisionRequest,
  ReconciliationDetail,
  ReconciliationList,
  ReconciliationRun,
} from './reconciliations';
import { type ApiRoute, json } from './route';
import {
  DiscardRequest,
  DuplicateRun,
  Queues,
  ReplayRequest,
  ReplayStarted,
  RUN_STATUSES,
  Run,
  RunPage,
  RunStarted,
  RunWithSteps,
} from './runs';
import { Shadow, ShadowList, ShadowReport, StartShadowRequest } from './shadows';

const flowId = { id: 'Flow id' };
const runId = { id: 'Run id' };
const processParams = {
  id: 'Process id (flows/processes/<id>.process.json)',
  key: 'The business key value, e.g. an order number',
};
const integer = Type.Integer();
/** This API's own description: OpenAPI's schema is not ours to restate. */
const OpenApiDocument = Type.Object({
  openapi: Type.Literal('3.1.0'),
  info: Type.Object({ title: Type.String(), version: Type.String() }),
  paths: Type.Record(Type.String(), Type.Object({})),
});

/**
 * Every operation of the runtime's HTTP API: the one place its bodies are described. The OpenAPI
 * document (`GET /api/openapi.json`, `docs/openapi.json`) is generated from this list, the
 * designer and the CLI parse answers with its schemas, and the API tests check every answer.
 */
export const apiRoutes = [
  // Health: no key.
  {
    method: 'get',
    path: '/healthz',
    summary: 'The process answers',
    public: true,
    responses: { 200: json(Healthy, 'ok') },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Redis answers with maxmemory-policy noeviction and no data lost',
    public: true,
    responses: {
      200: json(Ready, 'ready, with warnings'),
      503: json(NotReady, 'not ready, with a message'),
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    public: true,
    responses: {
      200: { description: 'text exposition format', body: null, contentType: 'text/plain' },
    },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    responses: { 200: json(OpenApiDocument, 'OpenAPI 3.1') },
  },
  // Catalog and environment.
  {
    method: 'get',
    path: '/api/nodes',
    summary: 'The node catalog',
    responses: { 200: json(NodeList, 'Node manifests') },
  },
  {
    method: 'get',
    path: '/api/environment',
    summary: 'This runtime’s environment and its connections (no secrets)',
    responses: { 200: json(EnvironmentInfo, 'Environment') },
  },
  {
    method: 'get',
    path: '/api/partners',
    summary: 'Trading-partner profiles (flows/partners/*.json) the EDI nodes name',
    responses: { 200: json(PartnerList, 'Partners') },
  },
  {
    method: 'get',
    path: '/api/connections',
    summary:
      "The environment's connections: base URL, auth type, secret names and whether each is set (never values)",
    responses: { 200: json(ConnectionList, 'Connections') },
  },
  {
    method: 'put',
    path: '/api/connections/{name}',
    summary:
      'Add or replace a connection in the environment file (development, admin); validated like the file, applied without a restart',
    params: { name: 'Connection name' },
    request: { body: ConnectionDefinition },
    responses: { 200: json(ConnectionSaved, 'Saved') },
    errors: { 400: 'invalid-name or invalid-connection', 403: 'read-only-environment' },
  },
  {
    method: 'post',
    path: '/api/environment/reload',
    summary: 'Re-read the environment file without a restart (admin)',
    responses: { 200: json(EnvironmentReloaded, 'Reloaded') },
    errors: { 400: 'invalid-environment' },
  },
  // Flow files (development).
  {
    method: 'get',
    path: '/api/flow-files',
    summary: 'Flow files in the flows folder',
    responses: { 200: json(FlowFileList, 'Files') },
  },
  {
    method: 'get',
    path: '/api/flow-files/{id}',
    summary: 'One flow file',
    params: flowId,
    responses: { 200: json(FlowFile, 'The file') },
    errors: { 404: 'No such file' },
  },
  {
    method: 'put',
    path: '/api/flow-files/{id}',
    summary: 'Save a flow file (development only; saved even with errors)',
    params: flowId,
    request: { body: SaveFlowFile },
    responses: { 200: json(SavedFlowFile, 'Saved') },
    errors: { 400: 'Bad body or id', 403: 'read-only-environment' },
  },
  {
    method: 'delete',
    path: '/api/flow-files/{id}',
    summary: 'Delete a flow file (development only)',
    params: flowId,
    responses: { 204: { description: 'Deleted', body: null } },
    errors: { 403: 'read-only-environment', 404: 'No such file' },
  },
  {
    method: 'get',
    path: '/api/flow-files/{id}/samples',
    summary: 'Sample payloads (flows/samples/<id>/*.json)',
    params: flowId,
    responses: { 200: json(SampleList, 'Samples') },
  },
  {
    method: 'get',
    path: '/api/flow-files/{id}/pins',
    summary: 'Pinned node samples ({input?, output?} per node id)',
    params: flowId,
    responses: { 200: json(PinList, 'Pins') },
  },
  {
    method: 'put',
    path: '/api/flow-files/{id}/pins/{nodeId}',
    summary: 'Pin (or, with neither, unpin) a node sample; development only',
    params: { ...flowId, nodeId: 'Node id' },
    request: { body: NodePin },
    responses: { 200: json(PinSaved, 'Pinned') },
    errors: { 400: 'invalid-body', 403: 'read-only-environment' },
  },
  {
    method: 'get',
    path: '/api/flow-files/{id}/test-cases',
    summary: 'The saved test cases of a flow',
    params: flowId,
    responses: { 200: json(TestCaseList, 'Test cases') },
  },
  // Deployed flows and runs.
  {
    method: 'get',
    path: '/api/flows',
    summary: 'Deployed flows',
    responses: { 200: json(FlowList, 'Flows') },
  },
  {
    method: 'put',
    path: '/api/flows/{id}',
    summary: 'Deploy a version (development; other environments take promotions)',
    params: flowId,
    request: { body: Flow },
    responses: {
      201: json(Deployed, 'Deployed'),
      200: json(Deployed, 'Already deployed, same content'),
    },
    errors: {
      400: 'invalid-flow, details.diagnostics',
      403: 'promotion-required outside development',
      409: 'version-conflict (same version, different content); hook-path-taken (another flow owns a webhook path, details.owner); hook-signature-required (outside development)',
    },
  },
  {
    method: 'get',
    path: '/api/flows/{id}/versions',
    summary: 'Deployed versions, newest first',
    params: flowId,
    responses: { 200: json(VersionList, 'Versions') },
    errors: { 404: 'Not deployed' },
  },
  {
    method: 'get',
    path: '/api/flows/{id}/versions/{version}',
    summary: 'One deployed document',
    params: { ...flowId, version: 'Version' },
    responses: { 200: json(Deployment, 'Deployment') },
    errors: { 404: 'Not deployed' },
  },
  {
    method: 'post',
    path: '/api/flows/{id}/runs',
    summary: 'Start a run with the body as trigger payload',
    params: flowId,
    request: { body: Json, description: 'The trigger payload' },
    responses: {
      202: json(RunStarted, 'Started'),
      200: json(DuplicateRun, 'Duplicate: the existing run'),
    },
    errors: {
      400: 'too-deep: nested deeper than CROSSDOCK_MAX_JSON_DEPTH',
      404: 'Not deployed',
      415: 'unsupported-media-type: the body is not JSON',
    },
  },
  {
    method: 'post',
    path: '/api/flows/{id}/test-runs',
    summary:
      'Deploy a document as a test version and run it (no dedupe). Safe unless "send": side-effecting nodes answer from their pinned output and record the request as notSent; "stopAt" ends the run after that node; test runs never enter the exception queue',
    params: flowId,
    request: { body: TestRunRequest },
    responses: { 202: json(TestRunStarted, 'Started') },
    errors: { 400: 'invalid-flow or invalid-body' },
  },
  {
    method: 'post',
    path: '/hooks/{path}',
    summary:
      'Webhook trigger; optional HMAC-SHA256 over "<x-crossdock-timestamp>.<raw body>" in x-crossdock-signature, each signature accepted once. With replyTimeoutMs the flow.respond node answers (any status 200-599, its headers and body, with x-crossdock-run-id)',
    public: true,
    params: { path: 'Webhook path (may hold slashes)' },
    request: { body: Json, description: 'The trigger payload' },
    responses: {
      202: json(
        RunStarted,
        'Started (with replyTimeoutMs: the flow did not answer in time or ended without answering)',
      ),
      200: json(
        Type.Union([HookAccepted, HookReply]),
        'Duplicate delivery; or, with replyTimeoutMs, the answer of the flow.respond node',
      ),
    },
    errors: {
      400: 'invalid-json or too-deep',
      401: 'Bad signature, or a timestamp too old or too far ahead',
      404: 'No flow listens',
      409: 'replayed-delivery: this signature was already accepted',
      429: 'queue-full; see Retry-After',
    },
  },
  {
    method: 'get',
    path: '/api/runs',
    summary: 'Runs, newest first',
    query: {
      flow: { description: 'Flow id' },
      status: {
        description: 'Run status',
        schema: Type.Union(RUN_STATUSES.map((s) => Type.Literal(s))),
      },
      key: { description: 'Business key value' },
      from: { description: 'ISO date or epoch ms' },
      to: { description: 'ISO date or epoch ms' },
      cursor: { description: 'From the previous page' },
      limit: { description: 'Page size (≤ 500)', schema: integer },
    },
    responses: { 200: json(RunPage, 'Page') },
    errors: { 400: 'invalid-parameter' },
  },
  {
    method: 'get',
    path: '/api/runs/{id}',
    summary: 'A run with its steps',
    params: runId,
    responses: { 200: json(RunWithSteps, 'Run') },
    errors: {
      400: 'invalid-id: not a run id (letters, digits, ".", "_", "-")',
      404: 'No such run',
    },
  },
  {
    method: 'post',
    path: '/api/runs/{id}/replay',
    summary:
      "Replay a failed run as a new linked run (once: the run moves to replaying). By default from the failed node, or from the node whose error a dead-letter node caught; the replayed step sends the original step's Idempotency-Key",
    params: runId,
    request: { body: ReplayRequest, optional: true },
    responses: { 202: json(ReplayStarted, 'Started') },
    errors: {
      400: 'Not failed / bad node',
      404: 'No such run',
      409: 'already-replayed: see replayedBy',
    },
  },
  {
    method: 'post',
    path: '/api/runs/{id}/discard',
    summary: 'Discard a failed run with a reason',
    params: runId,
    request: { body: DiscardRequest },
    responses: { 200: json(Run, 'Discarded') },
    errors: { 400: 'No reason / not failed', 404: 'No such run' },
  },
  {
    method: 'post',
    path: '/api/runs/{id}/test-case',
    summary: 'Save a finished run as flows/tests/<flow id>/<name>.json (development only)',
    params: runId,
    request: { body: SaveTestCase },
    responses: { 201: json(TestCaseSaved, 'Saved') },
    errors: {
      400: 'Bad name',
      403: 'read-only-environment',
      404: 'Unknown run',
      409: 'exists, run-not-finished or trace-truncated',
    },
  },
  {
    method: 'get',
    path: '/api/exceptions',
    summary: 'Failed runs not yet replayed or discarded',
    query: {
      cursor: { description: 'From the previous page' },
      limit: { description: 'Page size (≤ 500)', schema: integer },
    },
    responses: { 200: json(RunPage, 'Page') },
  },
  {
    method: 'get',
    path: '/api/queues',
    summary: 'BullMQ queues and their job counts',
    responses: { 200: json(Queues, 'Queues') },
  },
  // Promotion.
  {
    method: 'get',
    path: '/api/promotions',
    summary: 'Promotions and rollbacks into this environment, newest first',
    query: {
      flow: { description: 'Only this flow' },
      process: { description: 'Only this business process' },
    },
    responses: { 200: json(PromotionList, 'Promotions') },
  },
  {
    method: 'post',
    path: '/api/promotions',
    summary:
      'Promote a flow version, or a business process version ({"process"} instead of {"flow"}), here (admin): checks bindings, secrets and versions (a process: validated against the flows deployed here); with "dryRun" changes nothing',
    request: { body: PromoteRequest },
    responses: {
      200: json(PromoteOutcome, 'Ready (dry run) or already deployed; "current" is what runs now'),
      201: json(PromoteOutcome, 'Published'),
      202: json(PromoteOutcome, 'Pending: the environment needs more approvals'),
    },
    errors: {
      400: 'invalid-flow, or invalid-process with details.diagnostics',
      409: 'version-conflict, content-unchanged or version-not-bumped',
      422: 'environment-incomplete: a binding or secret is missing (named)',
    },
  },
  {
    method: 'get',
    path: '/api/promotions/{id}',
    summary: 'One promotion',
    params: { id: 'Promotion id' },
    responses: { 200: json(Promotion, 'Promotion') },
    errors: { 404: 'Unknown' },
  },
  {
    method: 'post',
    path: '/api/promotions/{id}/approve',
    summary: 'Approve a pending promotion with another admin key; the last approval publishes',
    params: { id: 'Promotion id' },
    responses: { 200: json(Promotion, 'Approved or published') },
    errors: {
      403: 'same-approver',
      404: 'Unknown',
      409: 'Not pending, or the version no longer fits',
    },
  },
  {
    method: 'post',
    path: '/api/flows/{id}/rollback',
    summary:
      'Make an earlier version active (default: the one below the active one); runs in flight keep theirs',
    params: flowId,
    request: { body: RollbackRequest, optional: true },
    responses: { 200: json(Promotion, 'Rolled back') },
    errors: { 404: 'Unknown flow or version', 409: 'No earlier version' },
  },
  // Control tower.
  {
    method: 'get',
    path: '/api/processes',
    summary: 'Business processes this runtime observes',
    responses: { 200: json(ProcessList, 'Processes') },
  },
  {
    method: 'get',
    path: '/api/processes/{id}',
    summary: 'One process document',
    params: { id: processParams.id },
    responses: { 200: json(Process, 'Process') },
    errors: { 404: 'No such process' },
  },
  {
    method: 'put',
    path: '/api/processes/{id}',
    summary:
      'Deploy a process version (admin, development only; elsewhere by promotion). Validated against the flows deployed here; it becomes active when its version is above the active one',
    params: { id: processParams.id },
    request: { body: Process },
    responses: {
      201: json(ProcessDeployed, 'Deployed'),
      200: json(ProcessDeployed, 'The same version and content was already deployed'),
    },
    errors: {
      400: 'invalid-process, details.diagnostics (path and message); nothing was changed',
      403: 'Not an admin key, or promotion-required outside development',
      409: 'version-conflict: that version is deployed with other content',
    },
  },
  {
    method: 'get',
    path: '/api/processes/{id}/versions',
    summary: 'Deployed versions of a process, newest first, the active one marked',
    params: { id: processParams.id },
    responses: { 200: json(ProcessVersionList, 'Versions') },
    errors: { 404: 'No deployed process' },
  },
  {
    method: 'get',
    path: '/api/processes/{id}/versions/{version}',
    summary: 'One deployed process version',
    params: { id: processParams.id, version: 'Version' },
    responses: { 200: json(ProcessDeployment, 'Deployment') },
    errors: { 404: 'No such version' },
  },
  {
    method: 'post',
    path: '/api/processes/{id}/rollback',
    summary:
      'Make an earlier deployed version active (admin; default: the one below the active one); recorded as a rollback in /api/promotions',
    params: { id: processParams.id },
    request: { body: RollbackRequest, optional: true },
    responses: { 200: json(Promotion, 'Rolled back') },
    errors: { 404: 'No such process or version', 409: 'no-previous-version' },
  },
  {
    method: 'get',
    path: '/api/processes/{id}/summary',
    summary:
      'Objects per stage with aging buckets (<1h, 1-4h, 4-24h, 1-3d, >3d in the stage), objects with open breaches by owner and severity, failed checks, and the business indicators the process file declares',
    params: { id: processParams.id },
    responses: { 200: json(ProcessSummary, 'Summary') },
    errors: { 404: 'No such process' },
  },
  {
    method: 'get',
    path: '/api/processes/{id}/objects',
    summary: 'Business objects, through the most selective index; cursor pagination',
    params: { id: processParams.id },
    query: {
      stage: { description: 'Current stage (a milestone id)' },
      breached: {
        description: 'true: with an open breach; false: without',
        schema: Type.Union([Type.Literal('true'), Type.Literal('false')]),
      },
      owner: { description: 'With an open breach owned by this team' },
      key: { description: 'This business key only' },
      olderThan: {
        description: 'In the current stage longer than this ISO 8601 duration (or ms)',
      },
      cursor: { description: 'From a previous page', schema: integer },
      limit: { description: '1-500 (default 50)', schema: integer },
    },
    responses: { 200: json(ObjectPage, 'Objects') },
    errors: { 400: 'A parameter is invalid (named)', 404: 'No such process' },
  },
  {
    method: 'get',
    path: '/api/processes/{id}/objects/{key}',
    summary:
      'One object: its timeline (by occurrence time, each entry linked to its run and step), open expectations with time left, breaches and failed checks',
    params: processParams,
    responses: { 200: json(ProcessObject, 'Object') },
    errors: { 404: 'No such process or object' },
  },
  {
    method: 'post',
    path: '/api/processes/{id}/objects/{key}/breaches/{breachId}/ack',
    summary: 'Acknowledge a breach with a comment (operator); who and when are recorded',
    params: { ...processParams, breachId: 'Breach id' },
    request: { body: AckRequest },
    responses: { 200: json(Breach, 'The breach') },
    errors: { 400: 'No comment', 404: 'No such breach' },
  },
  // Shadows.
  {
    method: 'get',
    path: '/api/flows/{id}/shadows',
    summary: 'Shadows of a flow, newest first',
    params: flowId,
    responses: { 200: json(ShadowList, 'Shadows') },
  },
  {
    method: 'post',
    path: '/api/flows/{id}/shadows',
    summary:
      'Start a shadow (admin): every run of the active version is repeated through this version with side effects suppressed, and what both sent is compared',
    params: flowId,
    request: { body: StartShadowRequest },
    responses: { 201: json(Shadow, 'The shadow') },
    errors: {
      400: 'Bad body or flow document',
      404: 'No such flow, or the version is not deployed and no document was sent',
    },
  },
  {
    method: 'get',
    path: '/api/flows/{id}/shadows/{shadowId}',
    summary:
      "The shadow's reconciliation report: counts over time, differing fields ranked, differing pairs, the cutover criterion",
    params: { ...flowId, shadowId: 'Shadow id' },
    query: { limit: { description: 'Differing pairs listed (default 200)', schema: integer } },
    responses: { 200: json(ShadowReport, 'Report') },
    errors: { 404: 'No such shadow' },
  },
  {
    method: 'delete',
    path: '/api/flows/{id}/shadows/{shadowId}',
    summary: 'Stop a shadow (admin); its report stays',
    params: { ...flowId, shadowId: 'Shadow id' },
    responses: { 200: json(Shadow, 'The stopped shadow') },
    errors: { 404: 'No such shadow' },
  },
  // Reconciliation.
  {
    method: 'get',
    path: '/api/reconciliations',
    summary: 'Reconciliation streams with their latest run counts',
    responses: { 200: json(ReconciliationList, 'Streams') },
  },
  {
    method: 'get',
    path: '/api/reconciliations/{id}',
    summary:
      'A stream: its document, the latest run with every difference (and its decision), and the trend of counts over runs',
    params: { id: 'Reconciliation id (flows/reconciliations/<id>.json)' },
    query: { trend: { description: 'Runs in the trend, 1-100 (default 30)', schema: integer } },
    responses: { 200: json(ReconciliationDetail, 'Stream') },
    errors: { 404: 'No such reconciliation' },
  },
  {
    method: 'get',
    path: '/api/reconciliations/{id}/audit',
    summary: 'Stewardship decisions, newest first (who, when, before, after)',
    params: { id: 'Reconciliation id' },
    query: { limit: { description: '1-1000 (default 100)', schema: integer } },
    responses: { 200: json(DecisionList, 'Audit') },
    errors: { 404: 'No such reconciliation' },
  },
  {
    method: 'post',
    path: '/api/reconciliations/{id}/run',
    summary: 'Run the stream now (operator): reads both systems and compares',
    params: { id: 'Reconciliation id' },
    responses: { 200: json(ReconciliationRun, 'The run') },
    errors: { 404: 'No such reconciliation', 409: 'A run of this stream is under way' },
  },
  {
    method: 'post',
    path: '/api/reconciliations/{id}/differences/{key}/decision',
    summary:
      'Decide a master-data drift of the latest run (operator): approve pushes the system of record’s value through the correction flow, accept keeps the drifted value; both audited',
    params: { id: 'Reconciliation id', key: 'The business key of the difference' },
    request: { body: DecisionRequest },
    responses: { 200: json(Decision, 'The decision') },
    errors: {
      400: 'Not approve or accept',
      404: 'No such reconciliation, or no difference for this key in the latest run',
      422: 'Not a drift (transactional stream, missing record) or no correction flow',
    },
  },
] as const satisfies readonly ApiRoute[];

export type ApiRouteKey =
  `${Uppercase<(typeof apiRoutes)[number]['method']>} ${(typeof apiRoutes)[number]['path']}`;
