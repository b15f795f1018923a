import type { SqlCapability, SqlParam } from '@crossdock/nodes';
import type { TransportAdapter } from './adapter';
import { clientLibrary } from './client-library';
import { recordSql } from './sql-dry-run';
import { jsonRow, sqlError } from './sql-values';
import { tlsOptions } from './tls';

/** What mysql2 answers: rows for a SELECT, a header with the changed rows for the rest. */
function rowsOf(result: unknown): { rows: unknown[]; changed: number } {
  if (Array.isArray(result)) return { rows: result, changed: 0 };
  const header = result as { affectedRows?: unknown };
  return { rows: [], changed: typeof header.affectedRows === 'number' ? header.affectedRows : 0 };
}

/**
 * MySQL and MariaDB through mysql2: one pool per connection (at most `poolSize` sessions).
 * Statements run as server-side prepared statements (`execute`), so values are bound, never
 * spliced, and `multipleStatements` stays off.
 */
export const mysqlAdapter: TransportAdapter<'mysql'> = {
  kind: 'mysql',
  operations: ['query', 'execute'],
  async open(target) {
    const c = target.connection;
    const tls = tlsOptions(c.tls, target);
    const { createPool } = await clientLibrary(import('mysql2/promise'));
    const pool = createPool({
      host: target.address,
      port: target.port,
      database: c.database,
      user: target.secret(c.auth.usernameSecret),
      password: target.secret(c.auth.passwordSecret),
      connectionLimit: c.poolSize ?? 5,
      connectTimeout: c.timeoutMs ?? 10_000,
      multipleStatements: false,
      // Exact values: DECIMAL and BIGINT as text, dates as the server's text, not a local Date.
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      ...(tls ? { ssl: tls } : {}),
    });
    let ended = false;
    const run = async (statement: string, params: readonly SqlParam[], readOnly: boolean) => {
      const session = await pool.getConnection().catch((error: unknown) => {
        throw sqlError('mysql', c.name, error);
      });
      let broken = false;
      try {
        if (!readOnly) return rowsOf((await session.execute(statement, [...params]))[0]);
        await session.query('START TRANSACTION READ ONLY');
        try {
          const result = rowsOf((await session.execute(statement, [...params]))[0]);
          await session.query('COMMIT');
          return result;
        } catch (error) {
          await session.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw error;
        }
      } catch (error) {
        throw sqlError('mysql', c.name, error);
      } finally {
        if (broken) session.destroy();
        else session.release();
      }
    };
    return {
      healthy: () => !ended,
      close: async () => {
        ended = true;
        await pool.end();
      },
      capability: {
        async query(statement, params, options) {
          const { rows } = await run(statement, params, true);
          const kept = rows.slice(0, options.maxRows).map(jsonRow);
          return {
            rows: kept,
            rowCount: kept.length,
            ...(rows.length > options.maxRows ? { truncated: true } : {}),
          };
        },
        async execute(statement, params) {
          const { rows, changed } = await run(statement, params, false);
          return { rows: rows.map(jsonRow), rowCount: changed };
        },
      } satisfies SqlCapability,
    };
  },
  dryRun: (connection, record) => recordSql('mysql', connection.name, record),
};
