import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway Redis Cluster of `masters` masters on free loopback ports, for the cluster test
 * and the shard bench: `redis-server --cluster-enabled yes` per node in a temporary folder,
 * joined by `redis-cli --cluster create` (slots split in even ranges, no replicas). No
 * persistence; `stop` kills the nodes and removes the folder.
 */
export interface LocalCluster {
  ports: number[];
  /** Seed list for `REDIS_URL` with `CROSSDOCK_REDIS_CLUSTER=1`. */
  url: string;
  /** Process ids of the nodes (CPU accounting). */
  pids: number[];
  /**
   * Kills one node (kill -9) and starts it again on its port and cluster config: it keeps its
   * slots and comes back empty, as a master without persistence does. `whileDown` runs between.
   */
  restart(port: number, whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `redis-server` and `redis-cli` are on PATH. */
export function hasRedisBinaries(): boolean {
  return ['redis-server', 'redis-cli'].every(
    (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('No free port.');
  return address.port;
}

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout ?? '';
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`Local cluster: ${what} within ${ms} ms.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-cluster-'));
  const startNode = (port: number): ChildProcess =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
  const ports: number[] = [];
  const nodes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            if (n.exitCode !== null || n.signalCode !== null) return resolve();
            n.once('exit', () => resolve());
            n.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) ports.push(await freePort());
    for (const port of ports) nodes.push(startNode(port));
    for (const port of ports)
      await until(`node ${port} answers`, () => cli(port, 'ping').includes('PONG'));
    const created = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8' },
    );
    if (created.status !== 0) {
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    }
    await until('every node sees the cluster ok', () =>
      ports.every((p) => cli(p, 'cluster', 'info').includes('cluster_state:ok')),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports,
    url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','),
    pids: nodes.map((n) => n.pid ?? 0),
    async restart(port, whileDown) {
      const at = ports.indexOf(port);
      const node = nodes[at];
      if (!node) throw new Error(`Local cluster: no node on port ${port}.`);
      if (node.exitCode === null && node.signalCode === null) {
        await new Promise<void>((resolve) => {
          node.once('exit', () => resolve());
          node.kill('SIGKILL');
        });
      }
      await whileDown?.();
      nodes[at] = startNode(port);
      await until(`node ${port} answers again`, () => cli(port, 'ping').includes('PONG'));
      await until('every node sees the cluster ok again', () =>
        ports.every((p) => cli(p, 'cluster', 'info').includes('cluster_state:ok')),
      );
    },
    stop,
  };
}
