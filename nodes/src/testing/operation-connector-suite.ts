import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPathTemplate } from '../library/connector/http/url';
import type { OperationCatalog } from '../library/connector/operations';
import { catalog } from '../library/manifests';
import type { NodeExecutor } from '../sdk/executor-types';
import type { FlowDocument } from '../sdk/flow-types';
import type { JsonValue } from '../sdk/json';
import type { NodeManifest } from '../sdk/manifest';
import { checkSchema } from '../sdk/schema-check';
import { validateFlow } from '../sdk/validate';
import { fakeContext, message } from './fake-context';
import { echo, json, startTestServer, type TestServer } from './http-server';

/** One operation call and the request the system must see. */
export interface OperationCase {
  operation: string;
  input: JsonValue;
  method: string;
  url: string;
  body: JsonValue;
}

/**
 * The shared contract of the operation-catalog connectors, run against a local echo server:
 * every operation sends its documented request, bad config and bad input are classified, and
 * 4xx/5xx come back as permanent/transient errors.
 */
export function describeOperationConnector(
  manifest: NodeManifest,
  execute: NodeExecutor,
  operations: OperationCatalog,
  cases: readonly OperationCase[],
): void {
  const system = manifest.connection?.systems?.[0] ?? '';
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const status = /^\/status-(\d{3})\//.exec(req.url)?.[1];
      return status ? json(res, Number(status), { error: 'as asked' }) : echo(req, res);
    });
  });
  afterAll(async () => {
    await server.close();
  });

  const ctx = (config: Record<string, JsonValue>, baseUrl = `${server.origin}/api`) =>
    fakeContext(
      { connection: system, ...config },
      {
        connection: { name: system, system, baseUrl, auth: { type: 'none' } },
        fetch: (input, init) => fetch(input, init),
      },
    );

  describe(manifest.type, () => {
    it('documents every operation and has a case for each', () => {
      for (const [name, op] of Object.entries(operations)) {
        expect(manifest.docs).toContain(`| \`${name}\` | ${op.method} | \`${op.path}\``);
        expect(checkPathTemplate(op.path), name).toBeUndefined();
      }
      expect(cases.map((c) => c.operation).sort()).toEqual(Object.keys(operations).sort());
    });

    it.each(cases)('$operation sends $method $url', async (c) => {
      const result = await execute(message(c.input), ctx({ operation: c.operation }));
      expect(result.emissions).toEqual([
        { port: 'out', payload: { method: c.method, url: c.url, body: c.body } },
      ]);
      const sent = server.requests.at(-1);
      expect(sent?.headers['idempotency-key']).toBe(
        c.method === 'GET' ? undefined : 'run-1:node-1',
      );
    });

    it('lets the config replace the body and add query parameters', async () => {
      const c = cases.find((x) => x.method !== 'GET') ?? cases[0];
      if (!c) throw new Error('no cases');
      const result = await execute(
        message(c.input),
        ctx({
          operation: c.operation,
          body: { object: [['override', true]] },
          query: { dryRun: true },
        }),
      );
      expect(result.emissions[0]?.payload).toEqual({
        method: c.method,
        url: `${c.url}?dryRun=true`,
        body: c.method === 'GET' ? null : { override: true },
      });
    });

    it('rejects an unknown operation in validation and at run time', async () => {
      expect(checkSchema(manifest.configSchema, { connection: system, operation: 'nope' })).toEqual(
        [expect.objectContaining({ pointer: ['operation'] })],
      );
      await expect(execute(message({}), ctx({ operation: 'nope' }))).rejects.toMatchObject({
        name: 'PermanentError',
        code: 'invalid-config',
      });
    });

    it(`needs a connection whose system is ${system}`, () => {
      const doc: FlowDocument = {
        schemaVersion: 1,
        id: 'f',
        name: 'F',
        version: '1.0.0',
        settings: {},
        nodes: [
          {
            id: 'n',
            type: manifest.type,
            name: 'N',
            position: { x: 0, y: 0 },
            config: { connection: 'other', operation: cases[0]?.operation ?? '' },
          },
        ],
        edges: [],
      };
      const environment = {
        name: 'test',
        connections: {
          other: { system: system === 'erp' ? 'wms' : 'erp', baseUrl: 'http://127.0.0.1:1' },
        },
      };
      const codes = validateFlow(doc, catalog, { environment }).map((d) => d.code);
      expect(codes).toContain('connection.wrong-system');
    });

    it('fails with a classified error when the message lacks a path field', async () => {
      const withField = cases.filter((c) => operations[c.operation]?.path.includes('{{'));
      for (const c of withField) {
        await expect(execute(message({}), ctx({ operation: c.operation }))).rejects.toMatchObject({
          name: 'PermanentError',
          code: 'invalid-input',
        });
      }
    });

    it('classifies 5xx as transient and 4xx as permanent', async () => {
      const c = cases[0];
      if (!c) throw new Error('no cases');
      await expect(
        execute(message(c.input), ctx({ operation: c.operation }, `${server.origin}/status-503`)),
      ).rejects.toMatchObject({ name: 'TransientError', code: 'upstream-unavailable' });
      await expect(
        execute(message(c.input), ctx({ operation: c.operation }, `${server.origin}/status-422`)),
      ).rejects.toMatchObject({
        name: 'PermanentError',
        code: 'upstream-rejected',
        details: { status: 422 },
      });
    });
  });
}
