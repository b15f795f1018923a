import {
  type ConnectionCommon,
  type ConnectionKindSpec,
  commonProperties,
  endpointProperties,
  type NetworkEndpoint,
  type TlsSettings,
  tlsSchema,
  tlsSecretNames,
  type UserPasswordAuth,
  userPasswordAuthSchema,
} from './common';

/** A SQL database (ERP staging tables): PostgreSQL or MySQL/MariaDB. */
export interface SqlConnection<K extends 'postgres' | 'mysql'>
  extends ConnectionCommon,
    NetworkEndpoint {
  kind: K;
  database: string;
  auth: UserPasswordAuth;
  tls?: TlsSettings;
  /** Connections the process keeps open to this database at most. */
  poolSize?: number;
}

export type PostgresConnection = SqlConnection<'postgres'>;
export type MysqlConnection = SqlConnection<'mysql'>;

function sqlKind<K extends 'postgres' | 'mysql'>(
  kind: K,
  title: string,
  port: number,
): ConnectionKindSpec<SqlConnection<K>> {
  return {
    kind,
    title,
    defaultPort: () => port,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'system', 'host', 'database', 'auth'],
      properties: {
        kind: { const: kind },
        ...commonProperties,
        ...endpointProperties,
        database: { type: 'string', minLength: 1, description: 'The database (schema) to use.' },
        poolSize: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'Connections the process keeps open to it at most.',
        },
        auth: userPasswordAuthSchema,
        tls: tlsSchema,
      },
    },
    secretNames: (c) => [c.auth.usernameSecret, c.auth.passwordSecret, ...tlsSecretNames(c.tls)],
  };
}

export const postgresKind = sqlKind('postgres', 'PostgreSQL', 5432);
export const mysqlKind = sqlKind('mysql', 'MySQL / MariaDB', 3306);
