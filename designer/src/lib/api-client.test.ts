import { ContractError } from '@crossdock/nodes/api';
import { describe, expect, it } from 'vitest';
import { runFixture } from '../features/runs/run-fixture';
import { ApiError, checkApiKey, createApiClient, fetchDesignerConfig } from './api-client';

type Call = { input: string; init: RequestInit | undefined };

function fakeFetch(status: number, body: unknown, calls: Call[] = []) {
  return async (input: string, init?: RequestInit) => {
    calls.push({ input, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
}

describe('api client', () => {
  it('sends the key and reads the error shape into an ApiError', async () => {
    const calls: Call[] = [];
    const api = createApiClient(
      'k-123',
      fakeFetch(403, { error: { code: 'read-only-environment', message: 'read-only' } }, calls),
    );
    const failure = await api.deleteFlowFile('x').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 403,
      code: 'read-only-environment',
      message: 'read-only',
    });
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer k-123');
  });

  it('names the request when the error body is not JSON', async () => {
    const api = createApiClient('k', async () => new Response('oops', { status: 502 }));
    await expect(api.listFlowFiles()).rejects.toMatchObject({ code: 'http-502' });
  });

  it('builds run filters into the query string and parses runs', async () => {
    const calls: Call[] = [];
    const { steps: _steps, ...run } = runFixture();
    const api = createApiClient('k', fakeFetch(200, { runs: [run], nextCursor: '50' }, calls));
    const page = await api.listRuns({ flow: 'f', status: 'failed', key: '' });
    expect(calls[0]?.input).toBe('/api/runs?flow=f&status=failed');
    expect(page).toMatchObject({ nextCursor: '50', runs: [{ id: 'r1', version: '1.0.0' }] });
  });

  it('refuses an answer that does not match the contract, naming the field', async () => {
    const { steps: _steps, ...run } = runFixture();
    const drifted = { ...run, flowVersion: run.version };
    const api = createApiClient('k', fakeFetch(200, { runs: [drifted], nextCursor: null }));
    const failure = await api.listRuns({}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ContractError);
    expect(String((failure as Error).message)).toContain(
      'GET /api/runs answered 200 with a body that does not match the API contract: $.runs[0].flowVersion: "flowVersion" is not a known field here.',
    );
    const missing = createApiClient('k', fakeFetch(200, { runs: [{ id: 'r1' }] }));
    await expect(missing.listRuns({})).rejects.toThrow(
      /\$\.runs\[0\]\.flowId: The field "flowId" is required/,
    );
  });

  it('deploys a flow under its id and says whether it was new', async () => {
    const calls: Call[] = [];
    const deployed = {
      id: 'f',
      version: '1.2.0',
      hash: 'h',
      deployedAt: '2026-01-01T00:00:00.000Z',
      deployedBy: 'analyst',
      created: true,
    };
    const api = createApiClient('k', fakeFetch(201, deployed, calls));
    const flow = {
      schemaVersion: 1,
      id: 'f',
      name: 'F',
      version: '1.2.0',
      settings: {},
      nodes: [],
      edges: [],
    };
    expect(await api.deploy(flow)).toEqual({ version: '1.2.0', created: true });
    expect(calls[0]).toMatchObject({ input: '/api/flows/f', init: { method: 'PUT' } });
  });

  it('reads the development key, or null when there is none', async () => {
    expect(await fetchDesignerConfig(fakeFetch(200, { apiKey: 'dev' }))).toBe('dev');
    expect(await fetchDesignerConfig(fakeFetch(404, {}))).toBeNull();
  });

  it('tells the app when the runtime refuses the key', async () => {
    let told = 0;
    const api = createApiClient(
      'old-key',
      fakeFetch(401, { error: { code: 'unauthenticated', message: 'No key.' } }),
      {
        onUnauthorized: () => {
          told += 1;
        },
      },
    );
    await expect(api.listFlowFiles()).rejects.toMatchObject({ status: 401 });
    expect(told).toBe(1);
  });

  it('checks a typed key: right, wrong, throttled with its wait, or no runtime', async () => {
    const calls: Call[] = [];
    expect(await checkApiKey('k-1', fakeFetch(200, { name: 'prod' }, calls))).toEqual({ ok: true });
    expect(new Headers(calls[0]?.init?.headers).get('authorization')).toBe('Bearer k-1');
    expect(await checkApiKey('k-2', fakeFetch(401, {}))).toEqual({
      ok: false,
      reason: 'wrong-key',
    });
    const throttled = async () =>
      new Response('{}', { status: 429, headers: { 'retry-after': '8' } });
    expect(await checkApiKey('k-3', throttled)).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: 8,
    });
    const down = async (): Promise<Response> => {
      throw new TypeError('fetch failed');
    };
    expect(await checkApiKey('k-4', down)).toEqual({ ok: false, reason: 'unreachable' });
  });
});
