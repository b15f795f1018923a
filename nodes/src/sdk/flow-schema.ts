import { FLOW_SCHEMA_VERSION } from './flow-types';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' } as const;

/** Any JSON: json-logic expressions are checked by the expression validator, not the schema. */
const expression = {
  description: 'A json-logic expression',
} as const;

const retry = {
  type: 'object',
  additionalProperties: false,
  required: ['maxAttempts', 'backoff'],
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
    backoff: {
      type: 'object',
      additionalProperties: false,
      required: ['initialMs', 'multiplier', 'maxMs', 'jitter'],
      properties: {
        initialMs: { type: 'integer', minimum: 0 },
        multiplier: { type: 'number', minimum: 1 },
        maxMs: { type: 'integer', minimum: 0 },
        jitter: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of a flow file. `flows/flow.schema.json` is this object written by
 * `crossdock schema`; a test keeps the two equal.
 */
export const flowSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://crossdock.dev/schemas/flow.schema.json',
  title: 'Crossdock flow',
  description: 'A synchronization flow: nodes connected by edges, versioned in git.',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'id', 'name', 'version', 'settings', 'nodes', 'edges'],
  properties: {
    $schema: { type: 'string' },
    schemaVersion: { const: FLOW_SCHEMA_VERSION },
    id: { ...id, description: 'The flow id; the file is named <id>.flow.json.' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    version: {
      type: 'string',
      description: 'Semantic version, bumped on every change that is promoted.',
      pattern:
        '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$',
    },
    description: { type: 'string' },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        idempotencyKey: expression,
        orderingKey: {
          ...expression,
          description:
            'json-logic over the trigger payload: runs with equal keys start in acceptance order and never overlap.',
        },
        businessKeys: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
          additionalProperties: expression,
        },
        priority: { type: 'integer', minimum: 1, maximum: 10 },
        retry,
        runTimeoutMs: { type: 'integer', minimum: 1 },
        nodeTimeoutMs: { type: 'integer', minimum: 1 },
        dedupeWindowMs: { type: 'integer', minimum: 1 },
      },
    },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'name', 'position', 'config'],
        properties: {
          id,
          type: { type: 'string', pattern: '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$' },
          name: { type: 'string', minLength: 1, maxLength: 200 },
          position: {
            type: 'object',
            additionalProperties: false,
            required: ['x', 'y'],
            properties: { x: { type: 'number' }, y: { type: 'number' } },
          },
          config: { type: 'object' },
          retry,
          timeoutMs: { type: 'integer', minimum: 1 },
          notes: { type: 'string' },
        },
      },
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'source', 'sourcePort', 'target', 'targetPort'],
        properties: {
          id,
          source: { type: 'string' },
          sourcePort: { type: 'string' },
          target: { type: 'string' },
          targetPort: { type: 'string' },
        },
      },
    },
  },
} as const;
