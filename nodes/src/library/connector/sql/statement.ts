import type { SqlCapability, SqlParam } from '../../../sdk/connections/sql-capability';
import { PermanentError } from '../../../sdk/errors';
import type { NodeContext, NodeInput } from '../../../sdk/executor-types';
import type { JsonValue } from '../../../sdk/json';

/** Config fields both SQL nodes share. */
export const sqlConfigProperties = {
  connection: {
    type: 'string',
    minLength: 1,
    description:
      'A connection of kind postgres or mysql; the environment supplies host, database and credentials.',
  },
  statement: {
    type: 'string',
    minLength: 1,
    maxLength: 20_000,
    description:
      'One SQL statement, fixed text. Values come only from params: $1, $2 … for PostgreSQL, ? for MySQL/MariaDB.',
  },
  params: {
    type: 'array',
    maxItems: 100,
    items: { 'x-expression': true },
    description:
      'json-logic expressions over the message, bound in order to the placeholders (objects and arrays as JSON text).',
  },
} as const;

export interface PreparedStatement {
  sql: SqlCapability;
  statement: string;
  params: SqlParam[];
}

/** The step's SQL capability, its fixed statement and the parameter values from the message. */
export function prepareStatement(input: NodeInput, ctx: NodeContext): PreparedStatement {
  const kind = ctx.connection?.kind;
  if (kind !== 'postgres' && kind !== 'mysql') {
    throw new PermanentError(
      'invalid-config',
      `The connection "${String(ctx.config.connection)}" must be of kind postgres or mysql.`,
    );
  }
  const statement = ctx.config.statement;
  if (typeof statement !== 'string' || statement.trim() === '')
    throw new PermanentError('invalid-config', 'The statement is missing.');
  const expressions = Array.isArray(ctx.config.params) ? ctx.config.params : [];
  const options = { now: ctx.now() };
  const params = expressions.map((expression): SqlParam => {
    const value: JsonValue = ctx.evaluate(expression ?? null, input.payload, options);
    return value === null || typeof value !== 'object' ? value : JSON.stringify(value);
  });
  return { sql: ctx.transport(kind), statement, params };
}
