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

/** The API document with the control tower's paths. */
export function withProcessPaths(doc: Schema): Schema {
  return { ...doc, paths: { ...(doc.paths as Schema), ...processPaths() } };
}

function processPaths(): Schema {
  const id = idParam('id', 'Process id (flows/processes/<id>.process.json)');
  const key = idParam('key', 'The business key value, e.g. an order number');
  return {
    '/api/processes': {
      get: op('Business processes this runtime observes', {
        '200': json({ type: 'object', properties: { processes: { type: 'array' } } }, 'Processes'),
      }),
    },
    '/api/processes/{id}': {
      get: op(
        'One process document',
        { '200': json({ type: 'object' }, 'Process'), '404': err('No such process') },
        { parameters: [id] },
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
