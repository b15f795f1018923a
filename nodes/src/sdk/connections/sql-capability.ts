import type { JsonObject } from '../json';

/** A bound parameter as the drivers take it: objects and arrays arrive as JSON text. */
export type SqlParam = string | number | boolean | null;

/** What a statement gave back: its rows (JSON values only) and how many rows it read or changed. */
export interface SqlRows {
  rows: JsonObject[];
  /** Rows returned by a query; rows changed by an execute. */
  rowCount: number;
  /** True when a query had more rows than `maxRows` and the rest were left out. */
  truncated?: boolean;
}

/**
 * What a step may do on a `postgres` or `mysql` connection. The statement is fixed text from the
 * node's config; every value travels as a bound parameter (`$1`, `$2` for PostgreSQL, `?` for
 * MySQL/MariaDB), never spliced into the text, and one call runs exactly one statement.
 */
export interface SqlCapability {
  /** Runs a statement inside a read-only transaction: it can read, never change, the data. */
  query(
    statement: string,
    params: readonly SqlParam[],
    options: { maxRows: number },
  ): Promise<SqlRows>;
  /** Runs a statement that may change data (INSERT, UPDATE, DELETE, a procedure call). */
  execute(statement: string, params: readonly SqlParam[]): Promise<SqlRows>;
}
