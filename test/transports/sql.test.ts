import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  node,
  testRuntime,
  uniquePrefix,
  waitForRun,
} from '../runtime/helpers';

const ONE_ATTEMPT = {
  maxAttempts: 1,
  backoff: { initialMs: 10, multiplier: 2, maxMs: 10, jitter: 0 },
};

// Real PostgreSQL (5432) and MariaDB (3306): a database of our own in each, and a MariaDB user
// of our own, all dropped after.
const tag = randomUUID().slice(0, 8);
const database = `cdtest_sql_${tag}`;
const myUser = `cdtest_${tag}`;
const myPassword = `pw-${randomUUID()}`;
const prefix = uniquePrefix('sql');
let dir: string;
let runtime: Runtime;
let pgAdmin: pg.Client;
let pgData: pg.Client;
let myAdmin: mysql.Connection;
let closed = false;

const STAGING_PG = `CREATE TABLE order_staging (
  id serial PRIMARY KEY, order_number text UNIQUE NOT NULL, customer text NOT NULL,
  amount numeric(10,2) NOT NULL, released_at timestamptz NOT NULL, status text NOT NULL DEFAULT 'NEW')`;
const STAGING_MY = `CREATE TABLE order_staging (
  id int AUTO_INCREMENT PRIMARY KEY, order_number varchar(64) UNIQUE NOT NULL,
  customer varchar(200) NOT NULL, amount decimal(10,2) NOT NULL, released_at datetime NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'NEW')`;

beforeAll(async () => {
  pgAdmin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE ${database}`);
  pgData = new pg.Client({ host: '127.0.0.1', user: 'postgres', database });
  await pgData.connect();
  await pgData.query(STAGING_PG);
  await pgData.query(
    `INSERT INTO order_staging (order_number, customer, amount, released_at) VALUES
     ('SO-1', 'ACME', 120.50, '2026-11-27T08:00:00Z'), ('SO-2', 'Globex', 75.00, '2026-11-27T09:00:00Z')`,
  );
  myAdmin = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await myAdmin.query(`CREATE DATABASE ${database}`);
  await myAdmin.query(`CREATE USER '${myUser}'@'%' IDENTIFIED BY '${myPassword}'`);
  await myAdmin.query(`GRANT ALL ON ${database}.* TO '${myUser}'@'%'`);
  await myAdmin.query(`USE ${database}`);
  await myAdmin.query(STAGING_MY);
  await myAdmin.query(
    `INSERT INTO order_staging (order_number, customer, amount, released_at) VALUES
     ('SO-1', 'ACME', 120.50, '2026-11-27 08:00:00'), ('SO-2', 'Globex', 75.00, '2026-11-27 09:00:00')`,
  );
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-sql-'));
  mkdirSync(path.join(dir, 'environments'));
  const db = { host: '127.0.0.1', database, allowPrivateNetwork: true, system: 'erp' };
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: {
        'erp-pg': {
          ...db,
          kind: 'postgres',
          auth: { type: 'basic', usernameSecret: 'PG_USER', passwordSecret: 'PG_PASSWORD' },
        },
        'erp-my': {
          ...db,
          kind: 'mysql',
          auth: { type: 'basic', usernameSecret: 'MY_USER', passwordSecret: 'MY_PASSWORD' },
          poolSize: 2,
        },
      },
      secrets: ['PG_USER', 'PG_PASSWORD', 'MY_USER', 'MY_PASSWORD'],
    }),
  );
  runtime = testRuntime({
    prefix,
    flowsDir: dir,
    env: {
      PG_USER: 'postgres',
      PG_PASSWORD: 'unused-trust',
      MY_USER: myUser,
      MY_PASSWORD: myPassword,
    },
  });
  runtime.startWorker(4);
});

afterAll(async () => {
  if (!closed) await runtime?.close();
  await pgData?.end();
  await pgAdmin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await pgAdmin?.end();
  await myAdmin?.query(`DROP DATABASE IF EXISTS ${database}`);
  await myAdmin?.query(`DROP USER IF EXISTS '${myUser}'@'%'`);
  await myAdmin?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await cleanRedis(prefix);
});

let flowSeq = 0;
/** Deploys a manual-trigger flow with the given nodes in a row and runs it on `payload`. */
async function runFlow(
  nodes: FlowDocument['nodes'],
  payload: JsonValue,
  options: { dryRun?: boolean } = {},
) {
  flowSeq += 1;
  const id = `sql-${flowSeq}`;
  const all = [node('start', 'trigger.manual'), ...nodes];
  const flow = flowDoc(
    id,
    all,
    all.slice(1).map((n, i) => edge(all[i]?.id ?? '', n.id)),
    { retry: ONE_ATTEMPT },
  );
  await runtime.flows.deploy(flow, 'test', new Date());
  const started = await runtime.service.start({
    flowId: id,
    payload,
    ...(options.dryRun ? { dryRun: { answers: {} } } : {}),
  });
  return waitForRun(runtime, started.runId);
}

const DIALECTS = [
  { name: 'PostgreSQL', connection: 'erp-pg', p: (n: number) => `$${n}` },
  { name: 'MariaDB', connection: 'erp-my', p: (_n: number) => '?' },
] as const;

describe.each(DIALECTS)('SQL on $name', ({ connection, p, name }) => {
  it('queries a staging table with bound parameters; rows leave as JSON', async () => {
    const run = await runFlow(
      [
        node('read', 'connector.sql-query', {
          connection,
          statement: `SELECT order_number, customer, amount, released_at FROM order_staging WHERE customer = ${p(1)} AND status = ${p(2)} ORDER BY id`,
          params: [{ var: 'customer' }, 'NEW'],
        }),
      ],
      { customer: 'ACME' },
    );
    expect(run.status).toBe('succeeded');
    const rows = run.steps.at(-1)?.output?.[0]?.payload as Record<string, JsonValue>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ order_number: 'SO-1', customer: 'ACME', amount: '120.50' });
    expect(String(rows[0]?.released_at)).toMatch(/^2026-11-27/);
  });

  it('keeps injection attempts inert: a value is only ever a value', async () => {
    const hostile = [
      "ACME' OR '1'='1",
      "x'; DROP TABLE order_staging; --",
      'ACME" OR 1=1 -- ',
      "\\'; DELETE FROM order_staging; #",
    ];
    for (const customer of hostile) {
      const read = await runFlow(
        [
          node('read', 'connector.sql-query', {
            connection,
            statement: `SELECT id FROM order_staging WHERE customer = ${p(1)}`,
            params: [{ var: 'customer' }],
          }),
        ],
        { customer },
      );
      expect(read.steps.at(-1)?.output?.[0]?.payload).toEqual([]);
    }
    const write = await runFlow(
      [
        node('insert', 'connector.sql-execute', {
          connection,
          statement: `INSERT INTO order_staging (order_number, customer, amount, released_at) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
          params: [{ var: 'order' }, { var: 'customer' }, 1, '2026-11-27 10:00:00'],
        }),
      ],
      { order: `SO-INJ-${name}`, customer: hostile[1] ?? '' },
    );
    expect(write.status).toBe('succeeded');
    expect(write.steps.at(-1)?.output?.[0]?.payload).toMatchObject({ rowCount: 1 });
    // The table is still there, with the hostile text stored as text.
    const check = await runFlow(
      [
        node('read', 'connector.sql-query', {
          connection,
          statement: `SELECT customer FROM order_staging WHERE order_number = ${p(1)}`,
          params: [{ var: 'order' }],
        }),
      ],
      { order: `SO-INJ-${name}` },
    );
    expect(check.steps.at(-1)?.output?.[0]?.payload).toEqual([{ customer: hostile[1] }]);
  });

  it('a query cannot change data (read-only transaction); a bad statement fails permanently', async () => {
    const sneaky = await runFlow(
      [
        node('read', 'connector.sql-query', {
          connection,
          statement: `UPDATE order_staging SET status = 'GONE' WHERE customer = ${p(1)}`,
          params: ['ACME'],
        }),
      ],
      null,
    );
    expect(sneaky.status).toBe('failed');
    expect(sneaky.failure?.error).toMatchObject({
      errorClass: 'permanent',
      code: 'upstream-rejected',
    });
    const typo = await runFlow(
      [
        node('read', 'connector.sql-query', {
          connection,
          statement: 'SELEC nothing FROM nowhere',
        }),
      ],
      null,
    );
    expect(typo.failure?.error).toMatchObject({
      errorClass: 'permanent',
      code: 'upstream-rejected',
    });
    const twoStatements = await runFlow(
      [
        node('write', 'connector.sql-execute', {
          connection,
          statement: `UPDATE order_staging SET status = 'X' WHERE id = ${p(1)}; DELETE FROM order_staging`,
          params: [1],
        }),
      ],
      null,
    );
    expect(twoStatements.status).toBe('failed');
  });

  it('marks rows taken with execute, and a safe test run sends nothing', async () => {
    const statement = `UPDATE order_staging SET status = 'SENT' WHERE order_number = ${p(1)} AND status = 'NEW'`;
    const dry = await runFlow(
      [
        node('mark', 'connector.sql-execute', {
          connection,
          statement,
          params: [{ var: 'order' }],
        }),
      ],
      { order: 'SO-2' },
      { dryRun: true },
    );
    expect(dry.status).toBe('succeeded');
    const step = dry.steps.at(-1);
    expect(step?.output?.[0]?.payload).toEqual({ rowCount: 0, rows: [] });
    expect(step?.notSent).toEqual([
      {
        method: 'SQL EXECUTE',
        url: expect.stringContaining(connection),
        body: { statement, params: ['SO-2'] },
      },
    ]);
    const real = await runFlow(
      [
        node('mark', 'connector.sql-execute', {
          connection,
          statement,
          params: [{ var: 'order' }],
        }),
      ],
      { order: 'SO-2' },
    );
    expect(real.steps.at(-1)?.output?.[0]?.payload).toMatchObject({ rowCount: 1 });
    // Repeated (an at-least-once step runs again): the guard in the statement makes it a no-op.
    const again = await runFlow(
      [
        node('mark', 'connector.sql-execute', {
          connection,
          statement,
          params: [{ var: 'order' }],
        }),
      ],
      { order: 'SO-2' },
    );
    expect(again.steps.at(-1)?.output?.[0]?.payload).toMatchObject({ rowCount: 0 });
  });
});

describe('SQL connections', () => {
  it('refuse a node whose connection is not a database, and close their pools on shutdown', async () => {
    const wrong = await runFlow(
      [node('read', 'connector.sql-query', { connection: 'missing', statement: 'SELECT 1' })],
      null,
    );
    expect(wrong.failure?.error).toMatchObject({ errorClass: 'permanent' });
    const open = async () =>
      Number(
        (
          await pgAdmin.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'crossdock'",
            [database],
          )
        ).rows[0]?.n,
      );
    expect(await open()).toBeGreaterThan(0);
    await runtime.close();
    closed = true;
    // The server drops a backend a moment after its client said goodbye.
    for (let i = 0; i < 100 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await open()).toBe(0);
  });
});
