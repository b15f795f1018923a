import { defineNode } from '../../../../sdk/manifest';
import { delimiterSchema, FIELD_NAME_PATTERN } from '../cells';

export const csvParseConnector = defineNode({
  type: 'connector.csv-parse',
  version: 1,
  category: 'connector',
  title: 'CSV: read',
  description: 'Reads CSV text into rows, with typed columns mapped to field names.',
  inputs: [{ id: 'in', label: 'CSV text' }],
  outputs: [{ id: 'out', label: 'Rows' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      field: {
        type: 'string',
        minLength: 1,
        description: 'When the message is an object, the field holding the CSV text.',
      },
      delimiter: delimiterSchema,
      headers: {
        type: 'boolean',
        default: true,
        description: 'The first line names the columns.',
      },
      columns: {
        type: 'array',
        description:
          'Columns to keep, each with its type. Without it, every column is kept as text under its header name.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['source', 'target'],
          properties: {
            source: {
              type: ['string', 'integer'],
              minimum: 1,
              minLength: 1,
              description: 'Header name, or 1-based column number.',
            },
            target: {
              type: 'string',
              pattern: FIELD_NAME_PATTERN,
              description: 'Field name in the row.',
            },
            type: {
              type: 'string',
              enum: ['string', 'number', 'integer', 'boolean', 'date'],
              default: 'string',
            },
            required: {
              type: 'boolean',
              default: false,
              description: 'An empty cell is an error.',
            },
          },
        },
      },
      trim: { type: 'boolean', default: true, description: 'Trim spaces around cells.' },
      emit: {
        type: 'string',
        enum: ['batch', 'each'],
        default: 'batch',
        description: '"batch": one message `{ "rows": [...] }`. "each": one message per row.',
      },
      maxRows: {
        type: 'integer',
        minimum: 1,
        maximum: 1000000,
        default: 10000,
        description: 'More rows than this is an error (protects the run from a runaway file).',
      },
    },
  },
  defaults: { delimiter: ',', headers: true, trim: true, emit: 'batch', maxRows: 10000 },
  sideEffects: false,
  docs: [
    'Parses CSV (RFC 4180 quoting, a byte-order mark and CR LF line ends are fine) with csv-parse.',
    'With `columns`, each row gets the named fields only, converted: `number` and `integer` (a decimal point, no thousands separators), `boolean` (true/false, yes/no, y/n, 1/0), `date` (YYYY-MM-DD). An empty cell is left out, or is an error when `required`. Every conversion problem is listed with its line and column.',
    'Example: `{"delimiter": ";", "columns": [{"source": "Artikel", "target": "sku"}, {"source": "Menge", "target": "quantity", "type": "number", "required": true}]}` turns `Artikel;Menge\\nSKU-1;12` into `{ "rows": [{ "sku": "SKU-1", "quantity": 12 }] }`.',
  ].join('\n\n'),
});
