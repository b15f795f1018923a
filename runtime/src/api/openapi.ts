/**
 * The OpenAPI 3.1 description of the HTTP API (`GET /api/openapi.json`): the contract the
 * designer and operators' scripts code against.
 */
import { tradingPartnerSchema } from '@crossdock/nodes';

export type Schema = Record<string, unknown>;

const { $schema: _partnerDialect, ...partnerSchema } = tradingPartnerSchema;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const err = (description: string) => json(ref('Error'), description);
export const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
export const query = (name: string, description: string, schema: Schema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const common = {
  '401': err('No or unknown API key'),
  '403': err('The key’s role may not do this'),
  '429': err('too-many-failed-attempts: this client sent too many wrong keys; see Retry-After'),
};

export function op(
  summary: string,
  responses: Record<string, unknown>,
  extra: Schema = {},
): Schema {
  return { summary, responses: { ...responses, ...common }, ...extra };
}

export const body = (schema: Schema) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export function openApiDocument(version: string): Schema {
  const flowId = idParam('id', 'Flow id');
  const runId = idParam('id', 'Run id');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crossdock runtime API',
      version,
      description:
        'Errors are {"error":{"code","message","details"}}. Authenticate with "Authorization: Bearer <key>".',
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': {
        get: {
          summary: 'The process answers',
          security: [],
          responses: { '200': json({ type: 'object' }, 'ok') },
        },
      },
      '/readyz': {
        get: {
          summary: 'Redis answers with maxmemory-policy noeviction',
          security: [],
          responses: {
            '200': json({ type: 'object' }, 'ready'),
            '503': json({ type: 'object' }, 'not ready, with a message'),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          security: [],
          responses: { '200': { description: 'text exposition format' } },
        },
      },
      '/api/openapi.json': {
        get: op('This document', { '200': json({ type: 'object' }, 'OpenAPI 3.1') }),
      },
      '/api/nodes': {
        get: op('The node catalog', {
          '200': json(
            { type: 'object', properties: { nodes: { type: 'array', items: { type: 'object' } } } },
            'Node manifests',
          ),
        }),
      },
      '/api/environment': {
        get: op('This runtime’s environment and its connections (no secrets)', {
          '200': json(ref('Environment'), 'Environment'),
        }),
      },
      '/api/partners': {
        get: op('Trading-partner profiles (flows/partners/*.json) the EDI nodes name', {
          '200': json(
            {
              type: 'object',
              required: ['partners'],
              properties: { partners: { type: 'array', items: partnerSchema } },
            },
            'Partners',
          ),
        }),
      },
      '/api/flow-files': {
        get: op('Flow files in the flows folder', {
          '200': json(
            {
              type: 'object',
              properties: { files: { type: 'array', items: ref('FlowFileSummary') } },
            },
            'Files',
          ),
        }),
      },
      '/api/flow-files/{id}': {
        parameters: [flowId],
        get: op('One flow file', {
          '200': json(ref('FlowFile'), 'The file'),
          '404': err('No such file'),
        }),
        put: op(
          'Save a flow file (development only; saved even with errors)',
          {
            '200': json(
              {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  text: { type: 'string' },
                  diagnostics: { type: 'array' },
                  previousText: { type: ['string', 'null'] },
                },
              },
              'Saved',
            ),
            '400': err('Bad body or id'),
            '403': err('read-only-environment'),
          },
          {
            requestBody: body({
              type: 'object',
              required: ['flow'],
              properties: { flow: ref('Flow') },
            }),
          },
        ),
        delete: op('Delete a flow file (development only)', {
          '204': { description: 'Deleted' },
          '404': err('No such file'),
          '403': err('read-only-environment'),
        }),
      },
      '/api/flow-files/{id}/samples': {
        parameters: [flowId],
        get: op('Sample payloads', {
          '200': json(
            {
              type: 'object',
              properties: {
                samples: {
                  type: 'array',
                  items: { type: 'object', properties: { name: { type: 'string' }, payload: {} } },
                },
              },
            },
            'Samples',
          ),
        }),
      },
      '/api/connections': {
        get: op(
          "The environment's connections: base URL, auth type, secret names and whether each is set (never values)",
          { '200': json({ type: 'object' }, 'Connections') },
        ),
      },
      '/api/connections/{name}': {
        parameters: [idParam('name', 'Connection name')],
        put: op(
          'Add or replace a connection in the environment file (development, admin); validated like the file, applied without a restart',
          {
            '200': json({ type: 'object' }, 'Saved'),
            '400': err('invalid-connection'),
            '403': err('read-only-environment'),
          },
          { requestBody: body({ type: 'object' }) },
        ),
      },
      '/api/environment/reload': {
        post: op('Re-read the environment file without a restart (admin)', {
          '200': json({ type: 'object' }, 'Reloaded'),
          '400': err('invalid-environment'),
        }),
      },
      '/api/flow-files/{id}/pins': {
        parameters: [flowId],
        get: op('Pinned node samples ({input?, output?} per node id)', {
          '200': json({ type: 'object', properties: { pins: { type: 'object' } } }, 'Pins'),
        }),
      },
      '/api/flow-files/{id}/pins/{nodeId}': {
        parameters: [flowId, idParam('nodeId', 'Node id')],
        put: op(
          'Pin (or, with neither, unpin) a node sample; development only',
          {
            '200': json({ type: 'object' }, 'Pinned'),
            '400': err('invalid-body'),
            '403': err('read-only-environment'),
          },
          {
            requestBody: body({
              type: 'object',
              properties: { input: {}, output: {} },
              additionalProperties: false,
            }),
          },
        ),
      },
      '/api/flows': {
        get: op('Deployed flows', {
          '200': json(
            { type: 'object', properties: { flows: { type: 'array', items: { type: 'object' } } } },
            'Flows',
          ),
        }),
      },
      '/api/flows/{id}': {
        parameters: [flowId],
        put: op(
          'Deploy a version',
          {
            '201': json(ref('Deployment'), 'Deployed'),
            '200': json(ref('Deployment'), 'Already deployed, same content'),
            '400': err('invalid-flow, details.diagnostics'),
            '409': err(
              'version-conflict (same version, different content); hook-path-taken (another flow owns a webhook path, details.owner); hook-signature-required (outside development)',
            ),
          },
          { requestBody: body(ref('Flow')) },
        ),
      },
      '/api/flows/{id}/versions': {
        parameters: [flowId],
        get: op('Deployed versions', {
          '200': json({ type: 'object' }, 'Versions'),
          '404': err('Not deployed'),
        }),
      },
      '/api/flows/{id}/versions/{version}': {
        parameters: [flowId, idParam('version', 'Version')],
        get: op('One deployed document', {
          '200': json(
            {
              type: 'object',
              properties: {
                flow: ref('Flow'),
                hash: { type: 'string' },
                deployedAt: { type: 'string' },
                deployedBy: { type: 'string' },
              },
            },
            'Deployment',
          ),
          '404': err('Not deployed'),
        }),
      },
      '/api/flows/{id}/runs': {
        parameters: [flowId],
        post: op(
          'Start a run with the body as trigger payload',
          {
            '202': json({ type: 'object', properties: { runId: { type: 'string' } } }, 'Started'),
            '200': json(
              {
                type: 'object',
                properties: { runId: { type: 'string' }, duplicate: { const: true } },
              },
              'Duplicate: the existing run',
            ),
            '400': err('too-deep: nested deeper than CROSSDOCK_MAX_JSON_DEPTH'),
            '404': err('Not deployed'),
            '415': err('unsupported-media-type: the body is not JSON'),
          },
          { requestBody: body({}) },
        ),
      },
      '/api/flows/{id}/test-runs': {
        parameters: [flowId],
        post: op(
          'Deploy a document as a test version and run it (no dedupe). Safe unless "send": side-effecting nodes answer from their pinned output and record the request as notSent; "stopAt" ends the run after that node; test runs never enter the exception queue',
          {
            '202': json(
              {
                type: 'object',
                properties: {
                  runId: { type: 'string' },
                  version: { type: 'string' },
                  sent: { type: 'boolean' },
                },
              },
              'Started',
            ),
            '400': err('invalid-flow'),
          },
          {
            requestBody: body({
              type: 'object',
              required: ['flow'],
              properties: {
                flow: ref('Flow'),
                payload: {},
                send: { type: 'boolean' },
                stopAt: { type: 'string' },
              },
            }),
          },
        ),
      },
      '/hooks/{path}': {
        post: {
          summary:
            'Webhook trigger; optional HMAC-SHA256 over "<x-crossdock-timestamp>.<raw body>" in x-crossdock-signature, each signature accepted once',
          security: [],
          parameters: [idParam('path', 'Webhook path')],
          responses: {
            '202': json(
              { type: 'object' },
              'Started (with replyTimeoutMs: the flow did not answer in time or ended without answering)',
            ),
            '200': json(
              { type: 'object' },
              'Duplicate delivery; or, with replyTimeoutMs, the answer of the flow.respond node (any status 200-599, its headers and body)',
            ),
            '400': err('invalid-json or too-deep'),
            '401': err('Bad signature, or a timestamp too old or too far ahead'),
            '404': err('No flow listens'),
            '409': err('replayed-delivery: this signature was already accepted'),
            '429': err('Queue full; see Retry-After'),
          },
        },
      },
      '/api/runs': {
        get: op(
          'Runs, newest first',
          {
            '200': json(
              {
                type: 'object',
                properties: {
                  runs: { type: 'array', items: ref('Run') },
                  nextCursor: { type: ['string', 'null'] },
                },
              },
              'Page',
            ),
          },
          {
            parameters: [
              query('flow', 'Flow id'),
              query('status', 'Run status', {
                enum: ['queued', 'running', 'succeeded', 'failed', 'discarded'],
              }),
              query('key', 'Business key value'),
              query('from', 'ISO date or epoch ms'),
              query('to', 'ISO date or epoch ms'),
              query('cursor', 'From the previous page'),
              query('limit', 'Page size (≤ 500)', { type: 'integer' }),
            ],
          },
        ),
      },
      '/api/runs/{id}': {
        parameters: [runId],
        get: op('A run with its steps', {
          '200': json(ref('Run'), 'Run'),
          '400': err('invalid-id: not a run id (letters, digits, ".", "_", "-")'),
          '404': err('No such run'),
        }),
      },
      '/api/runs/{id}/replay': {
        parameters: [runId],
        post: op(
          "Replay a failed run as a new linked run (once: the run moves to replaying). By default from the failed node, or from the node whose error a dead-letter node caught; the replayed step sends the original step's Idempotency-Key",
          {
            '202': json(
              {
                type: 'object',
                properties: { runId: { type: 'string' }, replayOf: { type: 'string' } },
              },
              'Started',
            ),
            '400': err('Not failed / bad node'),
            '404': err('No such run'),
            '409': err('Already replayed (already-replayed): see replayedBy'),
          },
          {
            requestBody: body({
              type: 'object',
              properties: {
                fromNode: { type: 'string' },
                input: {},
                fromStart: { type: 'boolean' },
              },
            }),
          },
        ),
      },
      '/api/runs/{id}/discard': {
        parameters: [runId],
        post: op(
          'Discard a failed run with a reason',
          { '200': json(ref('Run'), 'Discarded'), '400': err('No reason / not failed') },
          {
            requestBody: body({
              type: 'object',
              required: ['reason'],
              properties: { reason: { type: 'string' } },
            }),
          },
        ),
      },
      '/api/exceptions': {
        get: op('Failed runs not yet replayed or discarded', {
          '200': json(
            {
              type: 'object',
              properties: {
                runs: { type: 'array', items: ref('Run') },
                nextCursor: { type: ['string', 'null'] },
              },
            },
            'Page',
          ),
        }),
      },
      '/api/queues': {
        get: op('BullMQ queues and their job counts', {
          '200': json({ type: 'object' }, 'Queues'),
        }),
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
        Flow: { $ref: 'https://crossdock.dev/schemas/flow.schema.json' },
        Process: { $ref: 'https://crossdock.dev/schemas/process.schema.json' },
        Deployment: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            version: { type: 'string' },
            hash: { type: 'string' },
            deployedAt: { type: 'string' },
            deployedBy: { type: 'string' },
            created: { type: 'boolean' },
          },
        },
        Environment: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            connections: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  system: { type: 'string' },
                  kind: {
                    type: 'string',
                    enum: ['http', 'amqp', 'nats', 'mqtt', 'sftp', 'postgres', 'mysql'],
                  },
                  baseUrl: {
                    type: 'string',
                    description:
                      'The base URL of an HTTP connection; `<kind>://host:port[/vhost or database]` for other kinds.',
                  },
                },
              },
            },
          },
        },
        FlowFileSummary: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            version: { type: ['string', 'null'] },
            description: { type: ['string', 'null'] },
            updatedAt: { type: 'string' },
            valid: { type: 'boolean' },
            errors: { type: 'integer' },
            warnings: { type: 'integer' },
          },
        },
        FlowFile: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            text: { type: 'string' },
            flow: {},
            diagnostics: { type: 'array' },
            updatedAt: { type: 'string' },
          },
        },
        Step: {
          type: 'object',
          properties: {
            index: { type: 'integer' },
            nodeId: { type: 'string' },
            nodeType: { type: 'string' },
            messageId: { type: 'string' },
            attempt: { type: 'integer' },
            status: { enum: ['succeeded', 'failed', 'retrying'] },
            startedAt: { type: 'string' },
            endedAt: { type: 'string' },
            durationMs: { type: 'number' },
            inputPort: { type: 'string' },
            input: {},
            output: {
              type: 'array',
              items: { type: 'object', properties: { port: { type: 'string' }, payload: {} } },
            },
            ports: { type: 'array', items: { type: 'string' } },
            error: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                errorClass: { type: 'string' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
            retryInMs: { type: 'integer' },
          },
        },
        Run: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            flowId: { type: 'string' },
            version: { type: 'string' },
            status: {
              enum: ['queued', 'running', 'succeeded', 'failed', 'replaying', 'discarded'],
            },
            trigger: {},
            businessKeys: { type: 'object', additionalProperties: { type: 'string' } },
            idempotencyKey: { type: 'string' },
            orderingKey: {
              type: 'string',
              description:
                "The flow's ordering key on this trigger: runs with the same one start in acceptance order, one at a time",
            },
            correlationId: { type: 'string' },
            createdAt: { type: 'string' },
            startedAt: { type: 'string' },
            endedAt: { type: 'string' },
            test: { type: 'boolean' },
            awaitsReply: {
              type: 'boolean',
              description: 'A webhook caller waited for its flow.respond answer (request-reply)',
            },
            replayOf: {
              type: 'object',
              description: 'The run this one replays, who replayed it and from which node',
              properties: {
                runId: { type: 'string' },
                by: { type: 'string' },
                fromNode: { type: 'string' },
              },
            },
            replayedBy: { type: 'string', description: 'The run that replays this one' },
            replays: { type: 'array', items: { type: 'string' } },
            failure: { type: 'object' },
            resolution: { type: 'object' },
            stepCount: { type: 'integer' },
            steps: { type: 'array', items: ref('Step') },
          },
        },
      },
    },
  };
}
