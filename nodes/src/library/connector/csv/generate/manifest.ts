import { defineNode } from '../../../../sdk/manifest';
import { delimiterSchema, FIELD_NAME_PATTERN, FIELD_PATH_PATTERN } from '../cells';

export const csvGenerateConnector = defineNode({
  type: 'connector.csv-generate',
  version: 1,
  category: 'connector',
  title: 'CSV: write',
  description: 'Writes a list of rows as CSV text, with chosen columns and headers.',
  inputs: [{ id: 'in', label: 'Rows' }],
  outputs: [{ id: 'out', label: 'CSV text' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      field: {
        type: 'string',
        pattern: FIELD_NAME_PATTERN,
        description:
          'The field holding the rows when the message is an object; "rows" by default. A message that is a list is used as it is.',
      },
      delimiter: delimiterSchema,
      header: { type: 'boolean', default: true, description: 'Write a header line first.' },
      columns: {
        type: 'array',
        description:
          'Columns in order. Without it, the fields of the rows in the order first seen.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['field'],
          properties: {
            field: {
              type: 'string',
              pattern: FIELD_PATH_PATTERN,
              description: 'Dotted path into the row, e.g. "shipTo.city".',
            },
            header: {
              type: 'string',
              minLength: 1,
              description: 'Header text; the path when absent.',
            },
          },
        },
      },
      eol: { type: 'string', enum: ['\n', '\r\n'], default: '\n', description: 'Line ending.' },
      quoted: {
        type: 'boolean',
        default: false,
        description: 'Quote every cell, not only those that need it.',
      },
    },
  },
  defaults: { delimiter: ',', header: true, eol: '\n', quoted: false },
  sideEffects: false,
  docs: [
    'Writes rows (objects) as CSV with csv-stringify: cells that contain the delimiter, a quote or a line break are quoted. Numbers and booleans are written as they are, missing values as empty cells, nested objects and lists as JSON.',
    'Output: `{ "csv": "sku,quantity\\nSKU-1,12\\n", "rowCount": 1 }`.',
    'Example: `{"columns": [{"field": "sku", "header": "Item"}, {"field": "shipTo.city", "header": "City"}], "delimiter": ";"}`.',
  ].join('\n\n'),
});
