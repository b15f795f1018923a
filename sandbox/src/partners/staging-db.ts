import pg from 'pg';

/** Where the ERP's staging database lives and who owns it. */
export interface StagingDbOptions {
  host: string;
  port: number;
  database: string;
  /** The ERP's own login (created when missing), the one Crossdock's connection uses. */
  user: string;
  password: string;
  /** A login allowed to create roles and databases (default `$PGUSER` or `postgres`). */
  adminUser?: string;
  adminPassword?: string;
}

/** One staged order as the ERP writes it (the table's columns). */
export interface StagedOrder {
  order_number: string;
  ship_from: string;
  service_level: string;
  ship_to_name: string;
  ship_to_street: string;
  ship_to_city: string;
  ship_to_postal_code: string;
  ship_to_country: string;
  requested_date: string;
  lines: Array<{ itemNumber: string; quantity: number; unit: string }>;
  status: string;
}

const TABLE = `CREATE TABLE IF NOT EXISTS order_staging (
  id serial PRIMARY KEY,
  order_number text NOT NULL UNIQUE,
  ship_from text NOT NULL,
  service_level text NOT NULL DEFAULT 'STANDARD',
  ship_to_name text NOT NULL,
  ship_to_street text NOT NULL,
  ship_to_city text NOT NULL,
  ship_to_postal_code text NOT NULL,
  ship_to_country char(2) NOT NULL,
  requested_date date NOT NULL,
  lines jsonb NOT NULL,
  status text NOT NULL DEFAULT 'NEW',
  staged_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
)`;

/** The orders a fresh staging table starts with (as `flows/samples/erp-staging-orders/setup.sql`). */
const SEED: Array<Omit<StagedOrder, 'status'>> = [
  {
    order_number: '4500017301',
    ship_from: 'PLANT-1000',
    service_level: 'EXPRESS',
    ship_to_name: 'Nordwind Store 14',
    ship_to_street: 'Spitalerstrasse 9',
    ship_to_city: 'Hamburg',
    ship_to_postal_code: '20095',
    ship_to_country: 'de',
    requested_date: '2026-12-07',
    lines: [
      { itemNumber: '4006381333931', quantity: 12, unit: 'PC' },
      { itemNumber: '4006381333948', quantity: 2, unit: 'KAR' },
    ],
  },
  {
    order_number: '4500017302',
    ship_from: 'PLANT-2000',
    service_level: 'STANDARD',
    ship_to_name: 'Harbor Outfitters',
    ship_to_street: '18 Pier Road',
    ship_to_city: 'Newark',
    ship_to_postal_code: '07102',
    ship_to_country: 'us',
    requested_date: '2026-12-08',
    lines: [{ itemNumber: '0012345678905', quantity: 5, unit: 'ST' }],
  },
];

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The ERP's order staging table in PostgreSQL: provisioned once, then read and written. */
export class StagingDb {
  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Creates the ERP's login and database when missing (as the admin login), the table, and the
   * seed orders when the table is new. Idempotent: run at every start.
   */
  static async provision(options: StagingDbOptions): Promise<StagingDb> {
    const admin = new pg.Client({
      host: options.host,
      port: options.port,
      database: 'postgres',
      user: options.adminUser ?? (process.env.PGUSER || 'postgres'),
      password: options.adminPassword ?? process.env.PGPASSWORD,
      connectionTimeoutMillis: 3_000,
    });
    await admin.connect();
    try {
      const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [options.user]);
      if (role.rowCount === 0) {
        await admin
          .query(
            `CREATE ROLE ${quoteIdent(options.user)} LOGIN PASSWORD ${quoteLiteral(options.password)}`,
          )
          .catch(ignore('42710', '23505')); // created meanwhile by another start (either code, by timing)
      }
      const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        options.database,
      ]);
      if (db.rowCount === 0) {
        await admin
          .query(
            `CREATE DATABASE ${quoteIdent(options.database)} OWNER ${quoteIdent(options.user)}`,
          )
          .catch(ignore('42P04', '23505'));
      }
    } finally {
      await admin.end();
    }
    const pool = new pg.Pool({
      host: options.host,
      port: options.port,
      database: options.database,
      user: options.user,
      password: options.password,
      max: 2,
      connectionTimeoutMillis: 3_000,
    });
    pool.on('error', () => {});
    try {
      const created = await pool.query("SELECT to_regclass('order_staging') IS NULL AS missing");
      await pool.query(TABLE).catch(ignore('23505')); // two starts creating it at once
      const staging = new StagingDb(pool);
      if ((created.rows[0] as { missing: boolean }).missing) {
        for (const order of SEED) await staging.insert(order);
      }
      return staging;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Stages an order; without an order number the next one after the highest is taken. */
  async stage(order: Partial<Omit<StagedOrder, 'status'>> = {}): Promise<StagedOrder> {
    const template = SEED[0] as Omit<StagedOrder, 'status'>;
    for (let attempt = 0; ; attempt += 1) {
      const number =
        order.order_number ??
        String(
          (
            await this.pool.query(
              "SELECT coalesce(max(order_number::bigint), 4500017300) + 1 AS next FROM order_staging WHERE order_number ~ '^[0-9]+$'",
            )
          ).rows[0].next,
        );
      try {
        return await this.insert({ ...template, ...order, order_number: number });
      } catch (error) {
        // Two callers took the same next number: take the one after.
        if (order.order_number || attempt > 3 || (error as { code?: string }).code !== '23505') {
          throw error;
        }
      }
    }
  }

  /** The staged orders, newest first. */
  async list(limit = 50): Promise<StagedOrder[]> {
    const result = await this.pool.query(
      `SELECT order_number, ship_from, service_level, ship_to_name, ship_to_street, ship_to_city,
        ship_to_postal_code, ship_to_country, to_char(requested_date, 'YYYY-MM-DD') AS requested_date,
        lines, status FROM order_staging ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return result.rows as StagedOrder[];
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insert(order: Omit<StagedOrder, 'status'>): Promise<StagedOrder> {
    const result = await this.pool.query(
      `INSERT INTO order_staging (order_number, ship_from, service_level, ship_to_name,
        ship_to_street, ship_to_city, ship_to_postal_code, ship_to_country, requested_date, lines)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (order_number) DO NOTHING RETURNING order_number`,
      [
        order.order_number,
        order.ship_from,
        order.service_level,
        order.ship_to_name,
        order.ship_to_street,
        order.ship_to_city,
        order.ship_to_postal_code,
        order.ship_to_country,
        order.requested_date,
        JSON.stringify(order.lines),
      ],
    );
    if (result.rowCount === 0) {
      throw Object.assign(new Error(`order ${order.order_number} is already staged`), {
        code: '23505',
      });
    }
    return { ...order, status: 'NEW' };
  }
}

/**
 * Swallows the errors of an object another start created meanwhile: PostgreSQL says "already
 * exists" (42710, 42P04), or, when both creations ran at once, a unique violation in its catalog
 * (23505).
 */
function ignore(...codes: string[]): (error: unknown) => void {
  return (error) => {
    if (!codes.includes(String((error as { code?: unknown }).code))) throw error;
  };
}
