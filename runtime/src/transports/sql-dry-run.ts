import type { SqlCapability } from '@crossdock/nodes';
import type { NotSentRequest } from '../context/dry-run';

/**
 * The SQL capability of a safe test run: each statement is recorded with its parameters (what
 * the trace shows as not sent) and answers as if it matched no row.
 */
export function recordSql(
  kind: 'postgres' | 'mysql',
  connection: string,
  record: (operation: NotSentRequest) => void,
): SqlCapability {
  const note = (method: string, statement: string, params: readonly unknown[]) =>
    record({
      method,
      url: `${kind}://${connection}`,
      body: { statement, params: params.map((p) => (p === undefined ? null : p)) as never },
    });
  return {
    async query(statement, params) {
      note('SQL QUERY', statement, params);
      return { rows: [], rowCount: 0 };
    },
    async execute(statement, params) {
      note('SQL EXECUTE', statement, params);
      return { rows: [], rowCount: 0 };
    },
  };
}
