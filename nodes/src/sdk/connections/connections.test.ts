import { describe, expect, it } from 'vitest';
import { declaredSecrets } from '../environment';
import { loadEnvironment } from '../load';
import { type Connection, connectionEndpoint, connectionKinds, secretNames } from './index';

const examples: Record<string, Connection> = {
  http: { system: 'erp', baseUrl: 'https://erp.example.com/api' },
  amqp: {
    kind: 'amqp',
    system: 'wms',
    host: 'rabbit.example.com',
    vhost: 'wms',
    auth: { type: 'basic', usernameSecret: 'WMS_AMQP_USER', passwordSecret: 'WMS_AMQP_PASSWORD' },
  },
  nats: {
    kind: 'nats',
    system: 'tms',
    host: 'nats.example.com',
    auth: { type: 'credentials', credentialsSecret: 'TMS_NATS_CREDS' },
    tls: { caSecret: 'TMS_NATS_CA' },
  },
  mqtt: {
    kind: 'mqtt',
    system: 'wms',
    host: 'mqtt.example.com',
    tls: { certSecret: 'SCANNER_CERT', keySecret: 'SCANNER_KEY' },
  },
  sftp: {
    kind: 'sftp',
    system: 'carrier',
    host: 'sftp.carrier.example',
    port: 2222,
    auth: {
      type: 'private-key',
      usernameSecret: 'CARRIER_SFTP_USER',
      privateKeySecret: 'CARRIER_SFTP_KEY',
    },
  },
  postgres: {
    kind: 'postgres',
    system: 'erp',
    host: 'db.example.com',
    database: 'staging',
    auth: { type: 'basic', usernameSecret: 'ERP_DB_USER', passwordSecret: 'ERP_DB_PASSWORD' },
  },
  mysql: {
    kind: 'mysql',
    system: 'erp',
    host: 'mariadb.example.com',
    database: 'staging',
    auth: { type: 'basic', usernameSecret: 'ERP_MY_USER', passwordSecret: 'ERP_MY_PASSWORD' },
  },
};

function load(connections: Record<string, unknown>) {
  return loadEnvironment(JSON.stringify({ name: 'test', connections }));
}

describe('connection kinds', () => {
  it('has an example for every kind, and each loads', () => {
    expect(Object.keys(examples).sort()).toEqual(connectionKinds.map((k) => k.kind).sort());
    const loaded = load(examples);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('keeps an HTTP connection without `kind` valid (files from before kinds)', () => {
    expect(load({ erp: { system: 'erp', baseUrl: 'http://127.0.0.1:4001' } }).diagnostics).toEqual(
      [],
    );
  });

  it.each([
    ['an amqp connection with a base URL', { ...examples.amqp, baseUrl: 'amqp://x' }],
    ['an amqp connection without host', { kind: 'amqp', system: 'wms' }],
    ['a host with a scheme', { ...examples.mqtt, host: 'mqtt://broker' }],
    ['a host with credentials', { ...examples.nats, host: 'user:pw@nats' }],
    ['an unknown kind', { kind: 'kafka', system: 'wms', host: 'k' }],
    ['a postgres connection without database', { ...examples.postgres, database: undefined }],
    ['an sftp connection without auth', { ...examples.sftp, auth: undefined }],
    ['a TLS certificate without its key', { ...examples.mqtt, tls: { certSecret: 'C' } }],
    [
      'a secret named in lower case',
      { ...examples.amqp, auth: { type: 'basic', usernameSecret: 'user', passwordSecret: 'P' } },
    ],
    ['HTTP auth on a broker', { ...examples.amqp, auth: { type: 'bearer', tokenSecret: 'T' } }],
    ['a broker field on HTTP', { ...examples.http, vhost: 'x' }],
  ])('refuses %s', (_what, connection) => {
    const loaded = load({ c: JSON.parse(JSON.stringify(connection)) });
    expect(loaded.environment).toBeUndefined();
    expect(loaded.diagnostics.length).toBeGreaterThan(0);
  });

  it('names every secret of every kind, TLS included', () => {
    expect(secretNames(examples.amqp as Connection)).toEqual([
      'WMS_AMQP_USER',
      'WMS_AMQP_PASSWORD',
    ]);
    expect(secretNames(examples.nats as Connection)).toEqual(['TMS_NATS_CREDS', 'TMS_NATS_CA']);
    expect(secretNames(examples.mqtt as Connection)).toEqual(['SCANNER_CERT', 'SCANNER_KEY']);
    expect(secretNames(examples.sftp as Connection)).toEqual([
      'CARRIER_SFTP_USER',
      'CARRIER_SFTP_KEY',
    ]);
    const declared = declaredSecrets({ name: 'test', connections: examples });
    expect(declared.has('ERP_MY_PASSWORD')).toBe(true);
    expect(declared.has('ERP_DB_USER')).toBe(true);
  });

  it('shows where a connection points without credentials', () => {
    expect(connectionEndpoint(examples.amqp as Connection)).toBe(
      'amqp://rabbit.example.com:5672/wms',
    );
    expect(connectionEndpoint(examples.mqtt as Connection)).toBe('mqtt://mqtt.example.com:8883');
    expect(connectionEndpoint(examples.postgres as Connection)).toBe(
      'postgres://db.example.com:5432/staging',
    );
    expect(connectionEndpoint(examples.http as Connection)).toBe('https://erp.example.com/api');
  });
});
