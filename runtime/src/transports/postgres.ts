import type { SqlCapability, SqlParam } from '@crossdock/nodes';
import type { TransportAdapter } from './adapter';
import { recordSql } from './sql-dry-run';
import { jsonRow, sqlError } from './sql-values';
import { tlsOptions } from './tls';

/**
 * PostgreSQL through node-postgres: one pool per connection (at most `poolSize` sessions).
 * Statements with parameters go over the extended protocol, so a value is only ever a value and
 * a text holding two statements is refused by the server.
 */
export const postgresAdapter: TransportAdapter<'postgres'> = {
  kind: 'postgres',
  operations: ['query', 'execute'],
  async open(target) {
    const c = target.connection;
    const tls = tlsOptions(c.tls, target);
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      host: target.address,
      port: target.port,
      database: c.database,
      user: target.secret(c.auth.usernameSecret),
      password: target.secret(c.auth.passwordSecret),
      max: c.poolSize ?? 5,
      connectionTimeoutMillis: c.timeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'crossdock',
      ...(tls ? { ssl: tls } : {}),
    });
    let ended = false;
    // An idle session the server dropped: the pool discards it; the next use opens another.
    pool.on('error', (error) => target.log.warn({ err: error.message }, 'postgres pool error'));
    const run = async (statement: string, params: readonly SqlParam[], readOnly: boolean) => {
      const client = await pool.connect().catch((error: unknown) => {
        throw sqlError('postgres', c.name, error);
      });
      let broken: Error | undefined;
      try {
        if (!readOnly) return await client.query(statement, [...params]);
        await client.query('BEGIN READ ONLY');
        try {
          const result = await client.query(statement, [...params]);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((e: unknown) => {
            broken = e as Error;
          });
          throw error;
        }
      } catch (error) {
        throw sqlError('postgres', c.name, error);
      } finally {
        client.release(broken);
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
          const result = await run(statement, params, true);
          const rows = result.rows.slice(0, options.maxRows).map(jsonRow);
          return {
            rows,
            rowCount: rows.length,
            ...(result.rows.length > options.maxRows ? { truncated: true } : {}),
          };
        },
        async execute(statement, params) {
          const result = await run(statement, params, false);
          return { rows: result.rows.map(jsonRow), rowCount: result.rowCount ?? 0 };
        },
      } satisfies SqlCapability,
    };
  },
  dryRun: (connection, record) => recordSql('postgres', connection.name, record),
};
