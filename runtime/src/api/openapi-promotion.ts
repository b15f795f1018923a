import { body, err, idParam, json, op, query, type Schema } from './openapi';

const promotion: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { enum: ['promotion', 'rollback'] },
    flowId: { type: 'string', description: 'The flow promoted or rolled back (or processId)' },
    processId: { type: 'string', description: 'The business process promoted or rolled back' },
    version: { type: 'string' },
    hash: { type: 'string', description: 'sha256 of the canonical flow or process JSON' },
    status: { enum: ['pending', 'published'] },
    from: { type: 'string' },
    commit: { type: 'string' },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'string' },
    previousVersion: { type: 'string' },
    approvalsRequired: { type: 'integer' },
    approvals: { type: 'array', items: { type: 'object' } },
    publishedAt: { type: 'string' },
  },
};

/** The API document with the promotion paths: promotions, approvals, rollback, test cases. */
export function withPromotionPaths(doc: Schema): Schema {
  return { ...doc, paths: { ...(doc.paths as Schema), ...promotionPaths() } };
}

function promotionPaths(): Schema {
  const id = idParam('id', 'Promotion id');
  return {
    '/api/promotions': {
      get: op(
        'Promotions and rollbacks into this environment, newest first',
        {
          '200': json({ type: 'object' }, 'Promotions'),
        },
        {
          parameters: [query('flow', 'Only this flow'), query('process', 'Only this process')],
        },
      ),
      post: op(
        'Promote a flow version, or a business process version ({"process"} instead of {"flow"}), here (admin): checks bindings, secrets and versions (a process: validated against the flows deployed here); with "dryRun" changes nothing',
        {
          '200': json(
            { type: 'object' },
            'Ready (dry run) or already deployed; "current" is what runs now',
          ),
          '201': json({ type: 'object' }, 'Published'),
          '202': json({ type: 'object' }, 'Pending: the environment needs more approvals'),
          '400': err('Invalid flow document, or invalid-process with the diagnostics'),
          '409': err('version-conflict, content-unchanged or version-not-bumped'),
          '422': err('environment-incomplete: a binding or secret is missing (named)'),
        },
        {
          requestBody: body({
            type: 'object',
            oneOf: [{ required: ['flow'] }, { required: ['process'] }],
            properties: {
              flow: { $ref: '#/components/schemas/Flow' },
              process: { $ref: '#/components/schemas/Process' },
              from: { type: 'string' },
              commit: { type: 'string' },
              dryRun: { type: 'boolean' },
            },
          }),
        },
      ),
    },
    '/api/promotions/{id}': {
      parameters: [id],
      get: op('One promotion', { '200': json(promotion, 'Promotion'), '404': err('Unknown') }),
    },
    '/api/promotions/{id}/approve': {
      parameters: [id],
      post: op('Approve a pending promotion with another admin key; the last approval publishes', {
        '200': json(promotion, 'Approved or published'),
        '403': err('same-approver'),
        '404': err('Unknown'),
        '409': err('Not pending, or the version no longer fits'),
      }),
    },
    '/api/flows/{id}/rollback': {
      parameters: [idParam('id', 'Flow id')],
      post: op(
        'Make an earlier version active (default: the one below the active one); runs in flight keep theirs',
        {
          '200': json(promotion, 'Rolled back'),
          '404': err('Unknown flow or version'),
          '409': err('No earlier version'),
        },
        {
          requestBody: {
            required: false,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { version: { type: 'string' } } },
              },
            },
          },
        },
      ),
    },
    '/api/runs/{id}/test-case': {
      parameters: [idParam('id', 'Run id')],
      post: op(
        'Save a finished run as flows/tests/<flow id>/<name>.json (development only)',
        {
          '201': json({ type: 'object' }, 'Saved'),
          '400': err('Bad name'),
          '404': err('Unknown run'),
          '409': err('exists, or the run has not ended'),
        },
        {
          requestBody: body({
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, overwrite: { type: 'boolean' } },
          }),
        },
      ),
    },
    '/api/flow-files/{id}/test-cases': {
      parameters: [idParam('id', 'Flow id')],
      get: op('The saved test cases of a flow', { '200': json({ type: 'object' }, 'Test cases') }),
    },
  };
}
