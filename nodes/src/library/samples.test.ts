import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executors } from '../executors';
import type { NodeResult, ResolvedConnection } from '../sdk/executor-types';
import { findExpressions } from '../sdk/expression-fields';
import { checkExpression } from '../sdk/expressions/check';
import { checkSchema } from '../sdk/schema-check';
import { fakeContext } from '../testing/fake-context';
import { fakeTransports } from '../testing/fake-transports';
import { echo, startTestServer, type TestServer } from '../testing/http-server';
import { catalog, manifests } from './manifests';
import { loadSamples, type NodeSample } from './samples';

const samples = await loadSamples();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(echo);
});
afterAll(async () => {
  await server.close();
});

async function run(
  sample: NodeSample,
  config = sample.config,
): Promise<NodeResult | { error: unknown }> {
  const execute = executors[sample.type];
  if (!execute) throw new Error(`no executor for ${sample.type}`);
  const name = typeof sample.config.connection === 'string' ? sample.config.connection : '';
  const kind = sample.connection?.kind;
  const ctx = fakeContext(config, {
    // In-memory brokers, SFTP server and databases, seeded by the sample.
    transport: fakeTransports(
      ['amqp', 'nats', 'mqtt', 'sftp', 'postgres', 'mysql'],
      sample.transport ?? {},
    ).transport,
    ...(sample.connection && kind !== undefined
      ? {
          // A transport sample: a connection of its kind.
          connection: {
            name,
            kind,
            system: sample.connection.system,
            host: '127.0.0.1',
          } as unknown as ResolvedConnection,
        }
      : sample.connection
        ? {
            connection: {
              name,
              system: sample.connection.system,
              baseUrl: `${server.origin}/api`,
              auth: { type: 'none' },
            },
            fetch: (input: string, init?: RequestInit) => fetch(input, init),
          }
        : {}),
  });
  const input = {
    payload: sample.input,
    port: sample.port,
    meta: { correlationId: 'corr-1', splits: sample.splits },
  };
  try {
    return await execute(input, ctx);
  } catch (error) {
    return { error };
  }
}

describe('node samples', () => {
  it('every node type has at least one sample', () => {
    const withSamples = new Set(samples.map((s) => s.type));
    const missing = manifests.map((m) => m.type).filter((t) => !withSamples.has(t));
    expect(
      missing,
      'add samples/<name>.json ({config, input, expected}) to these node folders',
    ).toEqual([]);
  });

  it.each(samples.map((s) => [`${s.type}/${s.name}`, s] as const))(
    '%s: config is valid and the run gives the expected result',
    async (_name, sample) => {
      const manifest = catalog.get(sample.type);
      expect(manifest, `${sample.file} names an unknown type`).toBeDefined();
      if (!manifest) return;
      expect(checkSchema(manifest.configSchema, sample.config)).toEqual([]);
      for (const field of findExpressions(manifest.configSchema, sample.config)) {
        expect(checkExpression(field.value), JSON.stringify(field.pointer)).toEqual([]);
      }
      // The runtime lays a node's config over the manifest defaults: that must change nothing.
      const configs = [sample.config, { ...manifest.defaults, ...sample.config }];
      for (const config of configs) {
        const result = await run(sample, config);
        if ('error' in sample.expected) {
          expect(result).toMatchObject({ error: sample.expected.error });
        } else {
          expect(result).toEqual(sample.expected);
        }
      }
    },
  );
});
