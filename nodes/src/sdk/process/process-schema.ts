import { PROCESS_ROLES, PROCESS_SCHEMA_VERSION, PROCESS_SEVERITIES } from './process-types';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' } as const;
const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const expression = { description: 'A json-logic expression' } as const;
const severity = { enum: PROCESS_SEVERITIES } as const;
const owner = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'The team that owns what goes wrong here.',
} as const;

const source = {
  type: 'object',
  additionalProperties: false,
  required: ['flow'],
  properties: {
    flow: { ...id, description: 'The flow id.' },
    node: { type: 'string', minLength: 1, description: 'A node id of that flow.' },
    port: { type: 'string', minLength: 1, description: 'Only when the node sent out this port.' },
    runStatus: { enum: ['succeeded', 'failed'], description: 'A run of the flow ended so.' },
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of a business process file. `flows/process.schema.json` is this
 * object written by `crossdock schema`.
 */
export const processSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://crossdock.dev/schemas/process.schema.json',
  title: 'Crossdock business process',
  description:
    'Milestones observed on flows, expectations with deadlines and owners, checks across milestones.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'id',
    'name',
    'version',
    'businessKey',
    'milestones',
    'expectations',
    'checks',
  ],
  properties: {
    $schema: { type: 'string' },
    schemaVersion: { const: PROCESS_SCHEMA_VERSION },
    id: { ...id, description: 'The process id; the file is named <id>.process.json.' },
    name,
    version: {
      type: 'string',
      pattern:
        '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$',
    },
    description: { type: 'string' },
    businessKey: {
      type: 'string',
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      description: "A name in the flows' settings.businessKeys, e.g. order.",
    },
    milestones: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'on'],
        properties: {
          id,
          name,
          system: { type: 'string', minLength: 1, maxLength: 40 },
          on: {
            type: 'array',
            items: source,
            description:
              'Flow steps or run ends that record it; may be empty when flows record it explicitly (flow.milestone).',
          },
          when: expression,
          key: expression,
          occurredAt: expression,
          attributes: {
            type: 'object',
            propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
            additionalProperties: expression,
          },
        },
      },
    },
    expectations: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'after', 'expect', 'within', 'owner', 'severity'],
        properties: {
          id,
          name,
          after: { type: 'string', description: 'Milestone id that opens the expectation.' },
          expect: { type: 'string', description: 'Milestone id that fulfils it.' },
          within: {
            type: 'string',
            description: 'ISO 8601 duration, e.g. PT4H or P2D.',
            pattern: '^P(?!$)',
          },
          unless: { type: 'array', items: { type: 'string' } },
          owner,
          severity,
          escalation: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              flow: { ...id, description: 'A flow started with the breach and the object.' },
              notify: {
                type: 'object',
                additionalProperties: false,
                required: ['connection', 'path'],
                properties: {
                  connection: { type: 'string', minLength: 1 },
                  path: { type: 'string', pattern: '^/' },
                },
              },
            },
          },
        },
      },
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'requires', 'rule', 'owner', 'severity'],
        properties: {
          id,
          name,
          requires: { type: 'array', minItems: 1, items: { type: 'string' } },
          rule: expression,
          owner,
          severity,
        },
      },
    },
    indicators: {
      type: 'array',
      description:
        'Business indicators counted from this process (Prometheus crossdock_process_indicator and the summary).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name'],
        oneOf: ['stage', 'expectation', 'check'].map((field) => ({
          required: [field],
          properties: { [field]: { type: 'string' } },
        })),
        properties: {
          id,
          name,
          stage: {
            type: 'string',
            description: 'Objects now in this milestone stage (a backlog).',
          },
          expectation: {
            type: 'string',
            description: 'Objects with an open breach of this expectation (a delay, a gap).',
          },
          check: { type: 'string', description: 'Objects failing this check (a mismatch).' },
        },
      },
    },
    replayRoles: { type: 'array', uniqueItems: true, items: { enum: PROCESS_ROLES } },
  },
} as const;
