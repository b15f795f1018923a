import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import type { Runtime } from '@crossdock/runtime';
import { pollFolder, sftpTriggersOf } from '@crossdock/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanRedis,
  edge,
  flowDoc,
  node,
  testRuntime,
  uniquePrefix,
  until,
  waitForRun,
} from '../runtime/helpers';
import { startSshd, type TestSshd } from './sshd';

const ONE_ATTEMPT = {
  maxAttempts: 1,
  backoff: { initialMs: 10, multiplier: 2, maxMs: 10, jitter: 0 },
};

// A real OpenSSH server of our own (loopback, temporary host and login keys, internal-sftp in a
// chroot): see sshd.ts.
const prefix = uniquePrefix('sftp');
const X12_214 = readFileSync(
  path.join(import.meta.dirname, '../../flows/samples/carrier-edi-214/delivered.x12'),
  'utf8',
);
let sshd: TestSshd;
let dir: string;
let runtime: Runtime;
let second: Runtime;

function environment(hostKeySha256: string) {
  return {
    name: 'dev',
    connections: {
      partner: {
        kind: 'sftp',
        system: 'carrier',
        host: '127.0.0.1',
        port: sshd.port,
        allowPrivateNetwork: true,
        hostKeySha256,
        auth: { type: 'private-key', usernameSecret: 'SFTP_USER', privateKeySecret: 'SFTP_KEY' },
      },
      // The same server without allowPrivateNetwork: the network guard refuses loopback.
      guarded: {
        kind: 'sftp',
        system: 'carrier',
        host: '127.0.0.1',
        port: sshd.port,
        auth: { type: 'private-key', usernameSecret: 'SFTP_USER', privateKeySecret: 'SFTP_KEY' },
      },
      // A server showing another host key than the one configured (a man in the middle).
      impostor: {
        kind: 'sftp',
        system: 'carrier',
        host: '127.0.0.1',
        port: sshd.port,
        allowPrivateNetwork: true,
        hostKeySha256: `SHA256:${'A'.repeat(43)}`,
        auth: { type: 'private-key', usernameSecret: 'SFTP_USER', privateKeySecret: 'SFTP_KEY' },
      },
    },
    secrets: ['SFTP_USER', 'SFTP_KEY'],
  };
}

beforeAll(async () => {
  sshd = await startSshd();
  for (const folder of ['outbound', 'in/214', 'archive', 'error'])
    mkdirSync(path.join(sshd.root, folder), { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-sftp-'));
  mkdirSync(path.join(dir, 'environments'));
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify(environment(sshd.hostKeySha256)),
  );
  const env = { SFTP_USER: sshd.username, SFTP_KEY: sshd.privateKey };
  runtime = testRuntime({ prefix, flowsDir: dir, env });
  second = testRuntime({ prefix, flowsDir: dir, env });
  runtime.startWorker(4);
});

afterAll(async () => {
  await runtime?.close();
  await second?.close();
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await cleanRedis(prefix);
});

const onDisk = (remote: string) => path.join(sshd.root, remote);

let seq = 0;
async function runNodes(nodes: FlowDocument['nodes'], payload: JsonValue, dryRun = false) {
  seq += 1;
  const all = [node('start', 'trigger.manual'), ...nodes];
  const flow = flowDoc(
    `sftp-${seq}`,
    all,
    all.slice(1).map((n, i) => edge(all[i]?.id ?? '', n.id)),
    {
      retry: ONE_ATTEMPT,
    },
  );
  await runtime.flows.deploy(flow, 'test', new Date());
  const started = await runtime.service.start({
    flowId: flow.id,
    payload,
    ...(dryRun ? { dryRun: { answers: {} } } : {}),
  });
  return waitForRun(runtime, started.runId);
}

describe('SFTP connector', () => {
  it('puts a file whole (temporary name, then rename) and gets it back', async () => {
    const run = await runNodes(
      [
        node('put', 'connector.sftp-put', {
          connection: 'partner',
          path: '/outbound/214_{{id}}.edi',
          content: { var: 'x12' },
        }),
        node('get', 'connector.sftp-get', {
          connection: 'partner',
          path: '/outbound/214_SHP-1.edi',
        }),
      ],
      { id: 'SHP-1', x12: X12_214 },
    );
    expect(run.status).toBe('succeeded');
    expect(run.steps[1]?.output?.[0]?.payload).toEqual({
      path: '/outbound/214_SHP-1.edi',
      size: Buffer.byteLength(X12_214),
    });
    expect(run.steps[2]?.output?.[0]?.payload).toMatchObject({ content: X12_214 });
    expect(readFileSync(onDisk('outbound/214_SHP-1.edi'), 'utf8')).toBe(X12_214);
    // No temporary file is left behind.
    expect(readdirSync(onDisk('outbound'))).toEqual(['214_SHP-1.edi']);
  });

  it('never lets a message leave the folder, and writes nothing in a safe test run', async () => {
    const leaving = await runNodes(
      [node('put', 'connector.sftp-put', { connection: 'partner', path: '/outbound/{{id}}.edi' })],
      { id: '../../etc/cron.d/x' },
    );
    expect(leaving.failure?.error).toMatchObject({
      errorClass: 'permanent',
      code: 'invalid-input',
    });
    const dry = await runNodes(
      [
        node('put', 'connector.sftp-put', {
          connection: 'partner',
          path: '/outbound/dry_{{id}}.edi',
          content: { var: 'x12' },
        }),
      ],
      { id: 'SHP-2', x12: 'ISA~' },
      true,
    );
    expect(dry.status).toBe('succeeded');
    expect(dry.steps.at(-1)?.notSent).toEqual([
      { method: 'SFTP PUT', url: 'sftp://partner/outbound/dry_SHP-2.edi', body: 'ISA~' },
    ]);
    expect(existsSync(onDisk('outbound/dry_SHP-2.edi'))).toBe(false);
    const missing = await runNodes(
      [
        node('get', 'connector.sftp-get', {
          connection: 'partner',
          path: '/outbound/nothing-here.edi',
        }),
      ],
      null,
    );
    expect(missing.failure?.error).toMatchObject({ errorClass: 'permanent', code: 'not-found' });
  });
});

describe('SFTP connections', () => {
  it('are refused by the network guard and by a wrong host key, before any file moves', async () => {
    for (const connection of ['guarded', 'impostor']) {
      const run = await runNodes(
        [node('put', 'connector.sftp-put', { connection, path: '/outbound/{{id}}.edi' })],
        { id: `blocked-${connection}` },
      );
      expect(run.status).toBe('failed');
      expect(existsSync(onDisk(`outbound/blocked-${connection}.edi`))).toBe(false);
    }
    const guarded = await runNodes(
      [node('put', 'connector.sftp-put', { connection: 'guarded', path: '/outbound/g.edi' })],
      null,
    );
    expect(guarded.failure?.error).toMatchObject({
      errorClass: 'permanent',
      code: 'forbidden-host',
    });
  });
});

describe('SFTP folder trigger', () => {
  const flow = flowDoc(
    'carrier-214-sftp',
    [
      node('drop', 'trigger.sftp', {
        connection: 'partner',
        folder: '/in/214',
        pattern: '*.edi',
        archiveFolder: '/archive',
        errorFolder: '/error',
        // Polled by hand below; the last test activates a version that polls every second.
        intervalMs: 86_400_000,
      }),
      node('parse', 'connector.edi-parse', { field: 'content', acknowledge: false, emit: 'each' }),
      node('milestone', 'mapping.map', {
        fields: [
          { target: 'shipmentId', expression: { var: 'shipmentId' } },
          { target: 'status', expression: { var: 'statusCode' } },
        ],
      }),
    ],
    [edge('drop', 'parse'), edge('parse', 'milestone')],
    { retry: ONE_ATTEMPT },
  );
  const trigger = () => {
    const t = sftpTriggersOf(flow)[0];
    if (!t) throw new Error('no trigger');
    return t;
  };
  /** Poll deps of one runtime (one "worker"), its SFTP session from that runtime's pool. */
  const deps = (rt: Runtime) => ({
    redis: rt.redis,
    keys: rt.keys,
    service: rt.service,
    sftp: async (name: string) =>
      (await rt.transports.client(rt.transports.connection(name, 'sftp'))).capability,
    retentionMs: 600_000,
    log: rt.log,
  });

  const runsOf = async () => (await runtime.runs.list({ flow: flow.id, limit: 50 })).runs;
  it('starts one run per file, even with two workers polling at once and again after', async () => {
    await runtime.flows.deploy(flow, 'test', new Date());
    writeFileSync(onDisk('in/214/a.edi'), X12_214);
    writeFileSync(onDisk('in/214/b.edi'), X12_214.replace('PRO0000001', 'PRO0000002'));
    writeFileSync(onDisk('in/214/readme.txt'), 'not an edi file');
    await Promise.all([
      pollFolder(deps(runtime), flow.id, trigger()),
      pollFolder(deps(second), flow.id, trigger()),
      pollFolder(deps(second), flow.id, trigger()),
    ]);
    const runs = await runsOf();
    expect(runs.map((r) => (r.trigger as { fileName: string }).fileName).sort()).toEqual([
      'a.edi',
      'b.edi',
    ]);
    for (const r of runs) expect((await waitForRun(runtime, r.id)).status).toBe('succeeded');
    await until(async () => {
      await pollFolder(deps(second), flow.id, trigger());
      return readdirSync(onDisk('in/214')).length === 1;
    }, 'the files to be archived');
    expect(readdirSync(onDisk('in/214'))).toEqual(['readme.txt']);
    expect(readdirSync(onDisk('archive')).sort()).toEqual(
      runs.map((r) => `${r.id}-${(r.trigger as { fileName: string }).fileName}`).sort(),
    );
    // A restart polls again: nothing new starts.
    expect((await pollFolder(deps(runtime), flow.id, trigger())).started).toEqual([]);
    expect(await runsOf()).toHaveLength(2);
  });

  it('moves a failing file to the error folder; its run is in the exception queue and replayable', async () => {
    writeFileSync(onDisk('in/214/broken.edi'), 'this is not X12 at all');
    await pollFolder(deps(runtime), flow.id, trigger());
    const run = (await runsOf()).find(
      (r) => (r.trigger as { fileName?: string }).fileName === 'broken.edi',
    );
    if (!run) throw new Error('no run for broken.edi');
    const failed = await waitForRun(runtime, run.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure?.nodeId).toBe('parse');
    await until(async () => {
      await pollFolder(deps(runtime), flow.id, trigger());
      return existsSync(onDisk(`error/${run.id}-broken.edi`));
    }, 'the failed file to reach the error folder');
    expect(existsSync(onDisk('in/214/broken.edi'))).toBe(false);
    const exceptions = (await runtime.runs.list({ status: 'failed', limit: 50 })).runs.map(
      (r) => r.id,
    );
    expect(exceptions).toContain(run.id);
    // The operator fixes the content and replays from the parse step.
    const replay = await runtime.service.replay(run.id, 'operator', {
      fromNode: 'parse',
      input: { ...(failed.trigger as Record<string, JsonValue>), content: X12_214 },
    });
    expect((await waitForRun(runtime, replay.runId)).status).toBe('succeeded');
  });

  it('follows the active version: the worker polls the folder on its interval', async () => {
    writeFileSync(onDisk('in/214/c.edi'), X12_214.replace('PRO0000001', 'PRO0000003'));
    const next = {
      ...flow,
      version: '1.0.1',
      nodes: flow.nodes.map((n) =>
        n.id === 'drop' ? { ...n, config: { ...n.config, intervalMs: 1000 } } : n,
      ),
    };
    await runtime.flows.deploy(next, 'test', new Date());
    await until(
      async () => readdirSync(onDisk('archive')).some((f) => f.endsWith('-c.edi')),
      'the worker to archive c.edi',
    );
  });
});
