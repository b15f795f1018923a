import { defineNode } from '../../../../sdk/manifest';
import { sqlConfigProperties } from '../statement';

export const sqlExecuteConnector = defineNode({
  type: 'connector.sql-execute',
  version: 1,
  category: 'connector',
  title: 'SQL execute',
  description:
    'Changes data in a PostgreSQL or MySQL/MariaDB database (INSERT, UPDATE, DELETE) with bound parameters.',
  inputs: [{ id: 'in', label: 'Message' }],
  outputs: [
    {
      id: 'out',
      label: 'Result',
      description: '{"rowCount": rows changed, "rows": rows a RETURNING clause gave}.',
    },
  ],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['connection', 'statement'],
    properties: sqlConfigProperties,
  },
  defaults: {
    connection: 'erp-db',
    statement: 'UPDATE order_staging SET status = $1 WHERE id = $2',
    params: ['DONE', { var: 'id' }],
  },
  connection: { kinds: ['postgres', 'mysql'] },
  sideEffects: true,
  retry: { maxAttempts: 3 },
  docs: 'Runs `statement` on the named `postgres` or `mysql` connection with the values of `params` bound to its placeholders (`$1` … on PostgreSQL, `?` on MySQL/MariaDB); the statement is fixed text and a value is never spliced into it. Leaves `{"rowCount", "rows"}` on `out` (`rows` from a `RETURNING` clause, else empty). Like every connector a step may run twice (at-least-once), so write statements that are safe to repeat: `INSERT … ON CONFLICT DO NOTHING`, `UPDATE … WHERE status = \'NEW\'`. A safe test run sends nothing: the statement and its parameters are recorded as not sent and the node answers `{"rowCount": 0, "rows": []}`. Errors are classified like `connector.sql-query`. Example: mark a staging row as taken, `{"statement": "UPDATE order_staging SET status = \'SENT\' WHERE id = $1 AND status = \'NEW\'", "params": [{"var": "id"}]}`.',
});
