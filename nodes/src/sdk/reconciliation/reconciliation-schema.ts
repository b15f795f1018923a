import {
  MASTER_DATA_DOMAINS,
  RECONCILIATION_KINDS,
  RECONCILIATION_SCHEMA_VERSION,
} from './reconciliation-types';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$' } as const;
const dotted = {
  type: 'string',
  pattern: '^[A-Za-z0-9_$@-]+(\\.[A-Za-z0-9_$@-]+)*$',
  description: 'A dotted path into a record, e.g. "d.results" or "address.city".',
} as const;

const read = {
  type: 'object',
  additionalProperties: false,
  required: ['system', 'key'],
  properties: {
    system: {
      type: 'string',
      minLength: 1,
      maxLength: 40,
      description: 'The system read (erp, wms, tms...).',
    },
    connection: { type: 'string', minLength: 1, description: 'A connection of the environment.' },
    path: {
      type: 'string',
      pattern: '^/[^\\s?#]*$',
      description: 'Path on the connection, read with GET through connector.http.',
    },
    query: { type: 'object', additionalProperties: { type: 'string' } },
    node: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'config'],
      description: 'Instead of connection and path: a node run once whose output holds the list.',
      properties: {
        type: { type: 'string', minLength: 1, description: 'A node type, e.g. "connector.erp".' },
        config: { type: 'object', description: "The node's configuration." },
      },
    },
    items: {
      ...dotted,
      description: 'Where the list is in the response body; the body itself by default.',
    },
    paging: {
      type: 'object',
      additionalProperties: false,
      required: ['offsetParam', 'limitParam', 'pageSize'],
      properties: {
        offsetParam: { type: 'string', minLength: 1 },
        limitParam: { type: 'string', minLength: 1 },
        pageSize: { type: 'integer', minimum: 1, maximum: 10000 },
        maxPages: { type: 'integer', minimum: 1, maximum: 100000 },
      },
    },
    key: {
      type: 'array',
      minItems: 1,
      maxItems: 5,
      items: dotted,
      description: 'Paths whose values, joined with "/", make the business key.',
    },
  },
} as const;

const fieldSide = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: dotted,
    values: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Native codes translated to the shared vocabulary before comparing.',
    },
    scale: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'Multiplies a number into the shared unit (e.g. pounds to kilograms).',
    },
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of a reconciliation file. `flows/reconciliation.schema.json` is
 * this object written by `crossdock schema`.
 */
export const reconciliationSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://crossdock.dev/schemas/reconciliation.schema.json',
  title: 'Crossdock reconciliation stream',
  description:
    'Two reads of the same objects from two systems, compared per business key on a schedule.',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'id', 'name', 'kind', 'owner', 'schedule', 'left', 'right', 'fields'],
  properties: {
    $schema: { type: 'string' },
    schemaVersion: { const: RECONCILIATION_SCHEMA_VERSION },
    id: { ...id, description: 'The stream id; the file is named <id>.json.' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string' },
    kind: { enum: RECONCILIATION_KINDS },
    domain: {
      enum: MASTER_DATA_DOMAINS,
      description: 'Master data only: fixes the system of record.',
    },
    owner: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'The team that works the differences.',
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      required: ['cron'],
      properties: {
        cron: { type: 'string', format: 'cron' },
        timeZone: { type: 'string', format: 'time-zone' },
      },
    },
    systemOfRecord: {
      enum: ['left', 'right'],
      description: 'Master data only: the side whose value is right.',
    },
    left: read,
    right: read,
    fields: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'left', 'right'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' },
          type: { enum: ['string', 'number'] },
          left: fieldSide,
          right: fieldSide,
          tolerance: {
            type: 'object',
            additionalProperties: false,
            properties: {
              absolute: { type: 'number', minimum: 0 },
              relative: { type: 'number', minimum: 0, maximum: 1 },
              ignoreCase: { type: 'boolean' },
              ignoreWhitespace: { type: 'boolean' },
            },
          },
        },
      },
    },
    tower: {
      type: 'object',
      additionalProperties: false,
      required: ['process'],
      properties: { process: { ...id, description: 'A business process of the control tower.' } },
    },
    correction: {
      type: 'object',
      additionalProperties: false,
      required: ['flow'],
      properties: {
        flow: { ...id, description: 'The flow an approved correction starts.' },
      },
    },
  },
} as const;
