import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  catalog,
  createCatalog,
  manifests,
  type NodeExecutor,
  type NodeManifest,
} from '@crossdock/nodes';
import { executors } from '@crossdock/nodes/executors';
import { loadConfig } from '../infra/config';
import { createRuntime, type Runtime } from '../runtime';

/**
 * A flows folder with `environments/dev.json` binding connection `api` to the test server;
 * `secrets` declares further secret names (webhook signature secrets).
 */
export function flowsDirFor(
  serverUrl: string,
  options: { secrets?: string[] } = {},
): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crossdock-flows-'));
  mkdirSync(path.join(dir, 'environments'));
  writeFileSync(
    path.join(dir, 'environments', 'dev.json'),
    JSON.stringify({
      name: 'dev',
      connections: {
        api: {
          system: 'http',
          baseUrl: serverUrl,
          // The test server is on loopback, which the SSRF defence refuses by default.
          allowPrivateNetwork: true,
          auth: { type: 'bearer', tokenSecret: 'TEST_API_TOKEN' },
        },
      },
      ...(options.secrets ? { secrets: options.secrets } : {}),
    }),
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Collects log lines in memory. */
export function memoryLog(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

export interface TestRuntimeOptions {
  prefix: string;
  /** Test-only node types on top of the library (for behaviour the library does not offer). */
  extraNodes?: { manifests: NodeManifest[]; executors: Record<string, NodeExecutor> };
  flowsDir: string;
  env?: Record<string, string>;
  logStream?: Writable;
}

/** A runtime on the test's own prefix and flows folder, quiet unless a log stream is given. */
export function testRuntime(options: TestRuntimeOptions): Runtime {
  const env = {
    ...process.env,
    CROSSDOCK_PREFIX: options.prefix,
    CROSSDOCK_FLOWS_DIR: options.flowsDir,
    CROSSDOCK_SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: options.logStream ? 'info' : 'silent',
    ...options.env,
  };
  return createRuntime(loadConfig(env), {
    catalog: options.extraNodes
      ? createCatalog([...manifests, ...options.extraNodes.manifests])
      : catalog,
    executors: options.extraNodes ? { ...executors, ...options.extraNodes.executors } : executors,
    env,
    ...(options.logStream ? { logDestination: options.logStream } : {}),
  });
}
