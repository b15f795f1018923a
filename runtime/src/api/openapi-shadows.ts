import { body, err, idParam, json, op, query, type Schema } from './openapi';

const shadow: Schema = {
  type: 'object',
  required: ['id', 'flowId', 'version', 'deployedVersion', 'activeVersion', 'sample', 'status'],
  properties: {
    id: { type: 'string' },
    flowId: { type: 'string' },
    version: { type: 'string', description: 'The candidate version (B)' },
    deployedVersion: {
      type: 'string',
      description: 'What its runs pin: <version>+shadow.<hash> when sent as a document',
    },
    hash: {
      type: 'string',
      description: 'Content hash; promotion counts shadows of the same content',
    },
    activeVersion: { type: 'string', description: 'The version (A) whose runs are mirrored' },
    sample: { type: 'number', minimum: 0, maximum: 1 },
    until: { type: 'string', format: 'date-time' },
    mapping: { type: 'object', additionalProperties: { type: 'string' } },
    ignore: { type: 'array', items: { type: 'string' } },
    status: { enum: ['running', 'stopped'] },
    startedAt: { type: 'string', format: 'date-time' },
    startedBy: { type: 'string' },
    stoppedAt: { type: 'string', format: 'date-time' },
    stoppedBy: { type: 'string' },
  },
};

const difference: Schema = {
  type: 'object',
  properties: {
    field: { type: 'string', description: 'method, path, status or body.<path>' },
    a: {},
    b: {},
    nodeId: { type: 'string' },
  },
};

const cutover: Schema = {
  type: ['object', 'null'],
  description: "The environment's settings.cutover against this shadow (null when unset)",
  properties: {
    met: { type: 'boolean' },
    criterion: {
      type: 'object',
      properties: {
        minRuns: { type: 'integer' },
        minIdenticalPercent: { type: 'number' },
        fields: { type: 'array', items: { type: 'string' } },
        requireForPromotion: { type: 'boolean' },
      },
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          met: { type: 'boolean' },
          detail: { type: 'string' },
        },
      },
    },
  },
};

const report: Schema = {
  type: 'object',
  properties: {
    shadow,
    counts: {
      type: 'object',
      properties: Object.fromEntries(
        ['mirrored', 'compared', 'identical', 'differing', 'onlyInA', 'onlyInB'].map((k) => [
          k,
          { type: 'integer' },
        ]),
      ),
    },
    timeline: {
      type: 'array',
      description: 'Outcomes per minute',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string' },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
    },
    fields: {
      type: 'array',
      description: 'Differing fields, most frequent first, with examples linked to both runs',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          count: { type: 'integer' },
          examples: { type: 'array', items: { type: 'object' } },
        },
      },
    },
    differences: {
      type: 'array',
      description: 'Pairs that were not identical',
      items: {
        type: 'object',
        properties: {
          outcome: { enum: ['differing', 'only-in-a', 'only-in-b'] },
          businessKeys: { type: 'object', additionalProperties: { type: 'string' } },
          aRunId: { type: 'string' },
          bRunId: { type: 'string' },
          aStatus: { type: 'string' },
          bStatus: { type: 'string' },
          differences: { type: 'array', items: difference },
          onlyInA: { type: 'array', items: { type: 'object' } },
          onlyInB: { type: 'array', items: { type: 'object' } },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
    cutover,
  },
};

/** The API document with the shadow (dual-run) paths. */
export function withShadowPaths(doc: Schema): Schema {
  return { ...doc, paths: { ...(doc.paths as Schema), ...shadowPaths() } };
}

function shadowPaths(): Schema {
  const id = idParam('id', 'Flow id');
  const shadowId = idParam('shadowId', 'Shadow id');
  return {
    '/api/flows/{id}/shadows': {
      get: op(
        'Shadows of a flow, newest first',
        {
          '200': json(
            { type: 'object', properties: { shadows: { type: 'array', items: shadow } } },
            'Shadows',
          ),
        },
        { parameters: [id] },
      ),
      post: op(
        'Start a shadow (admin): every run of the active version is repeated through this version with side effects suppressed, and what both sent is compared',
        {
          '201': json(shadow, 'The shadow'),
          '400': err('Bad body or flow document'),
          '404': err('No such flow, or the version is not deployed and no document was sent'),
        },
        {
          parameters: [id],
          requestBody: body({
            type: 'object',
            required: ['version'],
            additionalProperties: false,
            properties: {
              version: { type: 'string' },
              flow: {
                type: 'object',
                description: 'The candidate document, when not deployed here',
              },
              sample: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
              until: { type: 'string', format: 'date-time' },
              mapping: {
                type: 'object',
                description: 'Shadow node id -> active node id',
                additionalProperties: { type: 'string' },
              },
              ignore: {
                type: 'array',
                description: 'Fields left out: a name (sentAt) or a path (body.lines[].id)',
                items: { type: 'string' },
              },
            },
          }),
        },
      ),
    },
    '/api/flows/{id}/shadows/{shadowId}': {
      get: op(
        "The shadow's reconciliation report: counts over time, differing fields ranked, differing pairs, the cutover criterion",
        { '200': json(report, 'Report'), '404': err('No such shadow') },
        {
          parameters: [
            id,
            shadowId,
            query('limit', 'Differing pairs listed (default 200)', { type: 'integer' }),
          ],
        },
      ),
      delete: op(
        'Stop a shadow (admin); its report stays',
        { '200': json(shadow, 'The stopped shadow'), '404': err('No such shadow') },
        { parameters: [id, shadowId] },
      ),
    },
  };
}
