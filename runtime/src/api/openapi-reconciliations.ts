import { body, err, idParam, json, op, query, type Schema } from './openapi';

const counts: Schema = {
  type: 'object',
  properties: {
    keys: { type: 'integer' },
    equal: { type: 'integer' },
    different: { type: 'integer' },
    missingLeft: { type: 'integer' },
    missingRight: { type: 'integer' },
  },
};

const decision: Schema = {
  type: 'object',
  required: ['id', 'key', 'action', 'actor', 'at', 'before', 'after'],
  properties: {
    id: { type: 'string', description: '<reconciliation>:<run>:<key>' },
    reconciliation: { type: 'string' },
    key: { type: 'string' },
    run: { type: 'string' },
    action: { enum: ['approve', 'accept'] },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    comment: { type: 'string' },
    before: {
      type: 'object',
      description: "The drifted system's values before the decision",
      properties: { system: { type: 'string' }, values: { type: 'object' } },
    },
    after: {
      type: 'object',
      description: 'Its values after: the system of record’s (approve) or unchanged (accept)',
      properties: { system: { type: 'string' }, values: { type: 'object' } },
    },
    correctionRun: { type: 'string', description: 'Approve: the correction flow run' },
  },
};

const difference: Schema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    status: { enum: ['different', 'missing-left', 'missing-right'] },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          left: {},
          right: {},
          compared: { type: 'object', properties: { left: {}, right: {} } },
        },
      },
    },
    tower: { type: 'string', description: 'The control tower object of this key' },
    drift: {
      type: 'object',
      description: "Master data: the system of record's value and the drifted copy",
    },
    decision: { oneOf: [decision, { type: 'null' }] },
  },
};

const run: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    reconciliation: { type: 'string' },
    trigger: { enum: ['schedule', 'manual'] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    status: { enum: ['succeeded', 'failed'] },
    error: { type: 'string' },
    read: { type: 'object', properties: { left: { type: 'integer' }, right: { type: 'integer' } } },
    counts,
    differences: { type: 'array', items: difference },
    truncated: { type: 'boolean' },
  },
};

/** The API document with the reconciliation paths. */
export function withReconciliationPaths(doc: Schema): Schema {
  return { ...doc, paths: { ...(doc.paths as Schema), ...reconciliationPaths() } };
}

function reconciliationPaths(): Schema {
  const id = idParam('id', 'Reconciliation id (flows/reconciliations/<id>.json)');
  const key = idParam('key', 'The business key of the difference');
  return {
    '/api/reconciliations': {
      get: op('Reconciliation streams with their latest run counts', {
        '200': json(
          { type: 'object', properties: { reconciliations: { type: 'array' } } },
          'Streams',
        ),
      }),
    },
    '/api/reconciliations/{id}': {
      get: op(
        'A stream: its document, the latest run with every difference (and its decision), and the trend of counts over runs',
        {
          '200': json(
            {
              type: 'object',
              properties: {
                reconciliation: { type: 'object' },
                latest: { oneOf: [run, { type: 'null' }] },
                trend: { type: 'array', items: { type: 'object' } },
              },
            },
            'Stream',
          ),
          '404': err('No such reconciliation'),
        },
        {
          parameters: [
            id,
            query('trend', 'Runs in the trend, 1-100 (default 30)', { type: 'integer' }),
          ],
        },
      ),
    },
    '/api/reconciliations/{id}/audit': {
      get: op(
        'Stewardship decisions, newest first (who, when, before, after)',
        {
          '200': json(
            { type: 'object', properties: { decisions: { type: 'array', items: decision } } },
            'Audit',
          ),
          '404': err('No such reconciliation'),
        },
        { parameters: [id, query('limit', '1-1000 (default 100)', { type: 'integer' })] },
      ),
    },
    '/api/reconciliations/{id}/run': {
      post: op(
        'Run the stream now (operator): reads both systems and compares',
        {
          '200': json(run, 'The run'),
          '404': err('No such reconciliation'),
          '409': err('A run of this stream is under way'),
        },
        { parameters: [id] },
      ),
    },
    '/api/reconciliations/{id}/differences/{key}/decision': {
      post: op(
        'Decide a master-data drift of the latest run (operator): approve pushes the system of record’s value through the correction flow, accept keeps the drifted value; both audited',
        {
          '200': json(decision, 'The decision'),
          '400': err('Not approve or accept'),
          '404': err('No such reconciliation, or no difference for this key in the latest run'),
          '422': err('Not a drift (transactional stream, missing record) or no correction flow'),
        },
        {
          parameters: [id, key],
          requestBody: body({
            type: 'object',
            required: ['action'],
            properties: {
              action: { enum: ['approve', 'accept'] },
              comment: { type: 'string', maxLength: 2000 },
            },
          }),
        },
      ),
    },
  };
}
