import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, fetchDesignerConfig } from './api-client';

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
    const api = createApiClient(
      'k',
      fakeFetch(
        200,
        { runs: [{ id: 'r1', status: 'failed', version: '1.0.0' }], nextCursor: '50' },
        calls,
      ),
    );
    const page = await api.listRuns({ flow: 'f', status: 'failed', key: '' });
    expect(calls[0]?.input).toBe('/api/runs?flow=f&status=failed');
    expect(page).toMatchObject({ nextCursor: '50', runs: [{ id: 'r1', flowVersion: '1.0.0' }] });
  });

  it('reads the development key, or null when there is none', async () => {
    expect(await fetchDesignerConfig(fakeFetch(200, { apiKey: 'dev' }))).toBe('dev');
    expect(await fetchDesignerConfig(fakeFetch(404, {}))).toBeNull();
  });
});
