import { defineNode } from '../../../../sdk/manifest';
import { sqlConfigProperties } from '../statement';

export const sqlQueryConnector = defineNode({
  type: 'connector.sql-query',
  version: 1,
  category: 'connector',
  title: 'SQL query',
  description:
    'Reads rows from a PostgreSQL or MySQL/MariaDB database (an ERP staging table) with bound parameters.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [{ id: 'out', label: 'Rows', description: 'The rows, as an array of objects.' }],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'statement'],
    properties: {
      ...sqlConfigProperties,
      maxRows: {
        type: 'integer',
        minimum: 1,
        maximum: 10_000,
        default: 1000,
        description: 'The most rows passed on; more are left out and logged.',
      },
    },
  },
  defaults: { connection: 'erp-db', statement: 'SELECT 1 AS one', maxRows: 1000 },
  connection: { kinds: ['postgres', 'mysql'] },
  sideEffects: false,
  retry: { maxAttempts: 3 },
  docs: 'Runs `statement` on the named `postgres` or `mysql` connection inside a read-only transaction (a statement that would change data fails), with the values of `params` bound to its placeholders (`$1`, `$2` … on PostgreSQL, `?` on MySQL/MariaDB). The statement is fixed text: nothing from the message is ever spliced into it, so a value such as `x\'; DROP TABLE t; --` is only a value. Leaves the rows on `out` as an array of objects (dates as ISO text, DECIMAL and BIGINT as text, bytes as base64), at most `maxRows`. Errors: connection lost, deadlock or server shutdown (SQLSTATE 08, 40, 53, 57, 58) are transient and retried; syntax, permission, constraint and data errors are permanent (`upstream-rejected`, with the SQLSTATE). Reading is not a side effect: a safe test run queries the database. Example: `{"connection": "erp-db", "statement": "SELECT * FROM order_staging WHERE status = $1 ORDER BY id LIMIT 50", "params": ["NEW"]}`.',
});
