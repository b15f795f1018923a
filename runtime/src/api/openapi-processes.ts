import { body, err, idParam, json, op, query, type Schema } from './openapi';

const breach: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: '<expectation id>:<deadline epoch ms>' },
    expectation: { type: 'string' },
    name: { type: 'string' },
    owner: { type: 'string' },
    severity: { enum: ['low', 'medium', 'high', 'critical'] },
    since: { type: 'string', format: 'date-time' },
    deadline: { type: 'string', format: 'date-time' },
    breachedAt: { type: 'string', format: 'date-time' },
    status: { enum: ['open', 'acknowledged', 'resolved'] },
    resolvedAt: { type: 'string', format: 'date-time' },
    ack: {
      type: 'object',
      properties: { by: { type: 'string' }, at: { type: 'string' }, comment: { type: 'string' } },
    },
    escalation: {
      type: 'object',
      properties: {
        runId: { type: 'string' },
        notified: { type: 'boolean' },
        error: { type: 'string' },
      },
    },
  },
};

const objectRow: Schema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    stage: { type: 'string' },
    stageSince: { type: 'string', format: 'date-time' },
    firstAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    openBreaches: { type: 'array', items: { type: 'object' } },
    failedChecks: { type: 'array', items: { type: 'string' } },
    nextDeadline: { type: 'string', format: 'date-time' },
  },
};

const diagnostic: Schema = {
  type: 'object',
  description: 'One finding of the process validator (the same one the CLI and designer run)',
  properties: {
    severity: { enum: ['error', 'warning'] },
    code: { type: 'string', examples: ['process.duration', 'process.unknown-flow'] },
    path: { type: 'string', examples: ['$.expectations[0].within'] },
    pointer: { type: 'array', items: { type: ['string', 'integer'] } },
    message: { type: 'string' },
  },
};

const versionSummary: Schema = {
  type: 'object',
  properties: {
    version: { type: 'string' },
    name: { type: 'string' },
    hash: { type: 'string', description: 'sha256 of the canonical process JSON' },
    deployedAt: { type: 'string', format: 'date-time' },
    deployedBy: { type: 'string' },
    from: { type: 'string' },
    commit: { type: 'string' },
    promotionId: { type: 'string' },
    active: { type: 'boolean', description: 'The version the control tower observes with' },
  },
};

/** The API document with the control tower's paths. */
export function withProcessPaths(doc: Schema): Schema {
  return { ...doc, paths: { ...(doc.paths as Schema), ...processPaths() } };
}

function processPaths(): Schema {
  const id = idParam('id', 'Process id (flows/processes/<id>.process.json)');
  const key = idParam('key', 'The business key value, e.g. an order number');
  return {
    '/api/processes': {
      get: op('The active version of every deployed business process', {
        '200': json(
          {
            type: 'object',
            properties: {
              processes: { type: 'array', items: { type: 'object' } },
              editable: {
                type: 'boolean',
                description:
                  'Whether this key may deploy process versions here (admin, development)',
              },
            },
          },
          'Processes',
        ),
      }),
    },
    '/api/processes/{id}': {
      get: op(
        'The active version of one process (its document)',
        { '200': json({ type: 'object' }, 'Process'), '404': err('No such process') },
        { parameters: [id] },
      ),
      put: op(
        'Deploy a process version (admin, development only; elsewhere by promotion). Validated against the flows deployed here; it becomes active when its version is above the active one',
        {
          '200': json({ type: 'object' }, 'The same version and content was already deployed'),
          '201': json(
            {
              type: 'object',
              properties: {
                id: { type: 'string' },
                version: { type: 'string' },
                hash: { type: 'string' },
                deployedAt: { type: 'string', format: 'date-time' },
                deployedBy: { type: 'string' },
                created: { type: 'boolean' },
                active: { type: 'boolean' },
              },
            },
            'Deployed',
          ),
          '400': json(
            {
              type: 'object',
              properties: {
                error: {
                  type: 'object',
                  properties: {
                    code: { const: 'invalid-process' },
                    message: { type: 'string' },
                    details: {
                      type: 'object',
                      properties: { diagnostics: { type: 'array', items: diagnostic } },
                    },
                  },
                },
              },
            },
            'invalid-process: the diagnostics (path and message); nothing was changed',
          ),
          '403': err('Not an admin key, or promotion-required outside development'),
          '409': err('version-conflict: that version is deployed with other content'),
        },
        {
          parameters: [id],
          requestBody: body({ $ref: '#/components/schemas/Process' }),
        },
      ),
    },
    '/api/processes/{id}/versions': {
      get: op(
        'Deployed versions of a process, newest first, the active one marked',
        {
          '200': json(
            {
              type: 'object',
              properties: {
                id: { type: 'string' },
                versions: { type: 'array', items: versionSummary },
              },
            },
            'Versions',
          ),
          '404': err('No deployed process'),
        },
        { parameters: [id] },
      ),
    },
    '/api/processes/{id}/versions/{version}': {
      get: op(
        'One deployed version: {process, hash, deployedAt, deployedBy, from?, commit?, promotionId?}',
        { '200': json({ type: 'object' }, 'Deployment'), '404': err('No such version') },
        { parameters: [id, idParam('version', 'Semantic version')] },
      ),
    },
    '/api/processes/{id}/rollback': {
      post: op(
        'Make an earlier deployed version active (admin); recorded as a rollback in /api/promotions',
        {
          '200': json({ type: 'object' }, 'The rollback record'),
          '404': err('No such process or version'),
          '409': err('no-previous-version'),
        },
        {
          parameters: [id],
          requestBody: body({
            type: 'object',
            properties: {
              version: { type: 'string', description: 'Default: the version below the active one' },
            },
          }),
        },
      ),
    },
    '/api/processes/{id}/summary': {
      get: op(
        'Objects per stage with aging buckets (<1h, 1-4h, 4-24h, 1-3d, >3d in the stage), objects with open breaches by owner and severity, failed checks, and the business indicators the process file declares',
        { '200': json({ type: 'object' }, 'Summary'), '404': err('No such process') },
        { parameters: [id] },
      ),
    },
    '/api/processes/{id}/objects': {
      get: op(
        'Business objects, through the most selective index; cursor pagination',
        {
          '200': json(
            {
              type: 'object',
              properties: {
                objects: { type: 'array', items: objectRow },
                nextCursor: { type: ['string', 'null'] },
              },
            },
            'Objects',
          ),
          '400': err('A parameter is invalid (named)'),
          '404': err('No such process'),
        },
        {
          parameters: [
            id,
            query('stage', 'Current stage (a milestone id)'),
            query('breached', 'true: with an open breach; false: without', {
              enum: ['true', 'false'],
            }),
            query('owner', 'With an open breach owned by this team'),
            query('key', 'This business key only'),
            query('olderThan', 'In the current stage longer than this ISO 8601 duration (or ms)'),
            query('cursor', 'From a previous page', { type: 'integer' }),
            query('limit', '1-500 (default 50)', { type: 'integer' }),
          ],
        },
      ),
    },
    '/api/processes/{id}/objects/{key}': {
      get: op(
        'One object: its timeline (by occurrence time, each entry linked to its run and step), open expectations with time left, breaches and failed checks',
        { '200': json({ type: 'object' }, 'Object'), '404': err('No such process or object') },
        { parameters: [id, key] },
      ),
    },
    '/api/processes/{id}/objects/{key}/breaches/{breachId}/ack': {
      post: op(
        'Acknowledge a breach with a comment (operator); who and when are recorded',
        {
          '200': json(breach, 'The breach'),
          '400': err('No comment'),
          '404': err('No such breach'),
        },
        {
          parameters: [id, key, idParam('breachId', 'Breach id')],
          requestBody: body({
            type: 'object',
            required: ['comment'],
            properties: { comment: { type: 'string' } },
          }),
        },
      ),
    },
  };
}
