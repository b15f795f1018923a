import { describe, expect, it } from 'vitest';
import type { ResolvedConnection } from '../../../sdk/executor-types';
import { checkSchema } from '../../../sdk/schema-check';
import { fakeContext, message } from '../../../testing/fake-context';
import { fakeTransports } from '../../../testing/fake-transports';
import { executeSqlExecute } from './execute/execute';
import { executeSqlQuery } from './query/execute';
import { sqlQueryConnector } from './query/manifest';

function database(kind: 'postgres' | 'mysql' | 'sftp', rows = [{ id: 1 }, { id: 2 }]) {
  const fake = fakeTransports(['postgres', 'mysql', 'sftp'], { rows });
  const connection = {
    name: 'erp-db',
    kind,
    system: 'erp',
    host: '127.0.0.1',
  } as unknown as ResolvedConnection;
  return { fake, overrides: { connection, transport: fake.transport } };
}

describe('connector.sql-query and connector.sql-execute', () => {
  it('bind the values of params, objects as JSON text, and keep the statement as written', async () => {
    const { fake, overrides } = database('postgres');
    const config = {
      connection: 'erp-db',
      statement:
        'SELECT id FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d IS NOT DISTINCT FROM $4',
      params: [{ var: 'a' }, { var: 'b' }, { var: 'c' }, { var: 'missing' }],
    };
    const result = await executeSqlQuery(
      message({ a: "x' OR 1=1 --", b: 7, c: { nested: [1] } }),
      fakeContext(config, overrides),
    );
    expect(result).toEqual({ emissions: [{ port: 'out', payload: [{ id: 1 }, { id: 2 }] }] });
    expect(fake.statements).toEqual([
      {
        kind: 'postgres',
        statement: config.statement,
        params: ["x' OR 1=1 --", 7, '{"nested":[1]}', null],
      },
    ]);
  });

  it('pass at most maxRows on and log that rows were left out', async () => {
    const { overrides } = database('mysql', [{ id: 1 }, { id: 2 }, { id: 3 }]);
    const config = { connection: 'erp-db', statement: 'SELECT id FROM t', maxRows: 2 };
    const ctx = fakeContext(config, overrides);
    const result = await executeSqlQuery(message(null), ctx);
    expect(result.emissions[0]?.payload).toEqual([{ id: 1 }, { id: 2 }]);
    expect(ctx.extras.logs.map((l) => l.level)).toEqual(['warn']);
  });

  it('execute answers the changed row count', async () => {
    const { overrides } = database('mysql');
    const result = await executeSqlExecute(
      message({ id: 4 }),
      fakeContext(
        { connection: 'erp-db', statement: 'DELETE FROM t WHERE id = ?', params: [{ var: 'id' }] },
        overrides,
      ),
    );
    expect(result).toEqual({ emissions: [{ port: 'out', payload: { rowCount: 1, rows: [] } }] });
  });

  it('refuse a connection that is not a database, and a missing statement', async () => {
    const { overrides } = database('sftp');
    await expect(
      executeSqlQuery(
        message(null),
        fakeContext({ connection: 'erp-db', statement: 'SELECT 1' }, overrides),
      ),
    ).rejects.toMatchObject({ name: 'PermanentError', code: 'invalid-config' });
    await expect(
      executeSqlQuery(message(null), fakeContext({ statement: 'SELECT 1' })),
    ).rejects.toMatchObject({
      code: 'invalid-config',
    });
    const db = database('postgres');
    await expect(
      executeSqlExecute(
        message(null),
        fakeContext({ connection: 'erp-db', statement: '  ' }, db.overrides),
      ),
    ).rejects.toMatchObject({ code: 'invalid-config' });
  });

  it('pass a database failure on as it was classified', async () => {
    const { fake, overrides } = database('postgres');
    const { TransientError } = await import('../../../sdk/errors');
    fake.failNext('postgres', new TransientError('upstream-unavailable', 'deadlock detected'));
    await expect(
      executeSqlQuery(
        message(null),
        fakeContext({ connection: 'erp-db', statement: 'SELECT 1' }, overrides),
      ),
    ).rejects.toMatchObject({ name: 'TransientError', code: 'upstream-unavailable' });
  });

  it('validate their config: a statement and a connection are required, params at most 100', () => {
    expect(
      checkSchema(sqlQueryConnector.configSchema, { connection: 'erp-db' }).length,
    ).toBeGreaterThan(0);
    expect(
      checkSchema(sqlQueryConnector.configSchema, {
        connection: 'erp-db',
        statement: 'SELECT 1',
        params: Array.from({ length: 101 }, () => 1),
      }).length,
    ).toBeGreaterThan(0);
    expect(
      checkSchema(sqlQueryConnector.configSchema, { connection: 'erp-db', statement: 'SELECT 1' }),
    ).toEqual([]);
  });
});
