import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@crossdock/nodes';
import { type CrossdockProcess, spawnCrossdock } from '../faults/processes';

/**
 * What the transport tests share: a RabbitMQ vhost, a NATS stream name and an MQTT topic prefix
 * of their own on the machine's brokers, and a flows folder whose `dev` environment binds them.
 */
export interface BrokerSpace {
  id: string;
  vhost: string;
  stream: string;
  topicPrefix: string;
  flowsDir: string;
  remove(): void;
}

/** Creates the vhost (guest may use it) and the flows folder; `remove` deletes both. */
export function brokerSpace(name: string, extra: Record<string, Connection> = {}): BrokerSpace {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const vhost = `cdtest-${id}`;
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  const flowsDir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-transports-'));
  mkdirSync(path.join(flowsDir, 'environments'));
  const space: BrokerSpace = {
    id,
    vhost,
    stream: `CDTEST_${id.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`,
    topicPrefix: `cdtest/${id}`,
    flowsDir,
    remove() {
      rmSync(flowsDir, { recursive: true, force: true });
      try {
        execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
      } catch {
        // already gone
      }
    },
  };
  writeEnvironment(space, extra);
  return space;
}

/** Writes `environments/dev.json` with the brokers (loopback allowed) and `extra`. */
export function writeEnvironment(space: BrokerSpace, extra: Record<string, Connection>): void {
  const connections: Record<string, Connection> = {
    rabbit: {
      kind: 'amqp',
      system: 'wms',
      host: '127.0.0.1',
      vhost: space.vhost,
      allowPrivateNetwork: true,
      auth: { type: 'basic', usernameSecret: 'RABBIT_USER', passwordSecret: 'RABBIT_PASSWORD' },
    },
    nats: { kind: 'nats', system: 'tms', host: '127.0.0.1', allowPrivateNetwork: true },
    mqtt: { kind: 'mqtt', system: 'wms', host: '127.0.0.1', allowPrivateNetwork: true },
    ...extra,
  };
  writeFileSync(
    path.join(space.flowsDir, 'environments', 'dev.json'),
    JSON.stringify({ name: 'dev', connections }),
  );
}

/** The secrets the environment above needs. */
export const BROKER_SECRETS = { RABBIT_USER: 'guest', RABBIT_PASSWORD: 'guest' };

/**
 * A `crossdock worker` process on `prefix` with the space's flows, following broker trigger
 * changes and taking over stalled runs quickly (the kill tests' settings).
 */
export function spawnBrokerWorker(
  prefix: string,
  space: BrokerSpace,
  extra: Record<string, string> = {},
): CrossdockProcess {
  return spawnCrossdock(['worker', '--concurrency', '4'], {
    CROSSDOCK_PREFIX: prefix,
    CROSSDOCK_FLOWS_DIR: space.flowsDir,
    CROSSDOCK_TRIGGER_FOLLOW_MS: '200',
    CROSSDOCK_LOCK_MS: '2000',
    ...BROKER_SECRETS,
    ...extra,
  });
}

/** Polls `check` until it holds (or fails the test after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
