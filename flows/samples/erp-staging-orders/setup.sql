-- The sandbox ERP's staging table in a local PostgreSQL database, for the sample flow
-- erp-staging-orders: the ERP writes released orders here; Crossdock polls the NEW ones.
--   createdb -h 127.0.0.1 -U postgres crossdock_erp
--   psql -h 127.0.0.1 -U postgres -d crossdock_erp -f flows/samples/erp-staging-orders/setup.sql
CREATE TABLE IF NOT EXISTS order_staging (
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
);

INSERT INTO order_staging (order_number, ship_from, service_level, ship_to_name, ship_to_street,
  ship_to_city, ship_to_postal_code, ship_to_country, requested_date, lines)
VALUES
  ('4500017301', 'PLANT-1000', 'EXPRESS', 'Nordwind Store 14', 'Spitalerstrasse 9', 'Hamburg',
   '20095', 'de', '2026-12-07',
   '[{"itemNumber": "4006381333931", "quantity": 12, "unit": "PC"}, {"itemNumber": "4006381333948", "quantity": 2, "unit": "KAR"}]'),
  ('4500017302', 'PLANT-2000', 'STANDARD', 'Harbor Outfitters', '18 Pier Road', 'Newark',
   '07102', 'us', '2026-12-08', '[{"itemNumber": "0012345678905", "quantity": 5, "unit": "ST"}]')
ON CONFLICT (order_number) DO NOTHING;
