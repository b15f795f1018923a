import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from './common';
import { ConnectionInfo, EnvironmentInfo } from './environment';
import { Deployed, Deployment, Diagnostic, Flow, FlowFile, FlowFileSummary } from './flows';
import { Breach, ObjectRow, Process } from './processes';
import { PromoteOutcome, Promotion } from './promotion';
import { Decision, Reconciliation, ReconciliationRun } from './reconciliations';
import type { ApiRoute } from './route';
import { apiRoutes } from './routes';
import { Emission, Run, RunWithSteps, Step, StepError } from './runs';
import { ComparedPair, CutoverCheck, Shadow, ShadowReport } from './shadows';

/** Schemas the document names under `components.schemas`, wherever a body uses them. */
const components: Record<string, TSchema> = {
  Error: ErrorBody,
  Flow,
  Process,
  Reconciliation,
  Diagnostic,
  Deployed,
  Deployment,
  FlowFileSummary,
  FlowFile,
  EnvironmentInfo,
  ConnectionInfo,
  Run,
  RunWithSteps,
  Step,
  StepError,
  Emission,
  Promotion,
  PromoteOutcome,
  Shadow,
  ShadowReport,
  ComparedPair,
  CutoverCheck,
  Breach,
  ObjectRow,
  Decision,
  ReconciliationRun,
};

type Json = Record<string, unknown>;

/**
 * A schema as plain JSON (TypeBox's symbol keys dropped), each named component met inside it
 * replaced by a `$ref`: a body that holds a run says `#/components/schemas/Run`.
 */
function plain(value: unknown, names: Map<unknown, string>, root: unknown): unknown {
  const name = names.get(value);
  if (name !== undefined && value !== root) return { $ref: `#/components/schemas/${name}` };
  if (Array.isArray(value)) return value.map((v) => plain(v, names, root));
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v, names, root);
  return out;
}

const COMMON_ERRORS: Record<number, string> = {
  401: 'No or unknown API key',
  403: 'The key’s role may not do this',
  429: 'too-many-failed-attempts: this client sent too many wrong keys; see Retry-After',
};

function operation(route: ApiRoute, schema: (s: TSchema) => unknown): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(route.responses)) {
    responses[status] =
      r.body === null
        ? {
            description: r.description,
            ...(r.contentType ? { content: { [r.contentType]: {} } } : {}),
          }
        : {
            description: r.description,
            content: { 'application/json': { schema: schema(r.body) } },
          };
  }
  const errors = { ...(route.public ? {} : COMMON_ERRORS), ...route.errors };
  for (const [status, description] of Object.entries(errors)) {
    responses[status] = {
      description,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...Object.entries(route.query ?? {}).map(([name, p]) => ({
      name,
      in: 'query',
      required: false,
      description: p.description,
      schema: p.schema ? schema(p.schema) : { type: 'string' },
    })),
  ];
  return {
    summary: route.summary,
    ...(route.public ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request
      ? {
          requestBody: {
            required: route.request.optional !== true,
            ...(route.request.description ? { description: route.request.description } : {}),
            content: { 'application/json': { schema: schema(route.request.body) } },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 description of the HTTP API (`GET /api/openapi.json`, `docs/openapi.json`),
 * generated from `apiRoutes`: nothing in it is written by hand but the summaries.
 */
export function openApiDocument(version = '0.1.0'): Json {
  const names = new Map<unknown, string>(Object.entries(components).map(([n, s]) => [s, n]));
  const schema = (s: TSchema) => plain(s, names, undefined);
  const paths: Record<string, Json> = {};
  for (const route of apiRoutes as readonly ApiRoute[]) {
    const item = paths[route.path] ?? {};
    item[route.method] = operation(route, schema);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crossdock runtime API',
      version,
      description:
        'Errors are {"error":{"code","message","details"}}. Authenticate with "Authorization: Bearer <key>". Generated from the body schemas of @crossdock/nodes (api-contract); see docs/api.md.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        Object.entries(components).map(([n, s]) => [n, plain(s, names, s)]),
      ),
    },
  };
}
