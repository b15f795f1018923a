import { describe, expect, it } from 'vitest';
import { ErrorBody } from './common';
import { openApiDocument } from './openapi';
import type { ApiRoute } from './route';
import { apiRoutes } from './routes';
import { ContractError, checkBody, checkResponse, findRoute, parseBody } from './validate';

const routes = apiRoutes as readonly ApiRoute[];

describe('the API contract', () => {
  it('declares each operation once, every schema compiling', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routes) {
      for (const res of Object.values(r.responses)) if (res.body) checkBody(res.body, null);
      if (r.request) checkBody(r.request.body, null);
    }
  });

  it('generates an OpenAPI document whose references all resolve', () => {
    const doc = openApiDocument('9.9.9');
    const text = JSON.stringify(doc);
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    const refs = [...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const name of refs) expect(schemas, String(name)).toHaveProperty(String(name));
    expect(Object.keys(doc.paths as object)).toContain('/api/runs/{id}');
    // Only JSON: TypeBox's symbol keys never reach the document.
    expect(JSON.parse(text)).toEqual(doc);
  });

  it('finds routes by concrete path, literals before parameters, webhook paths across slashes', () => {
    expect(findRoute('GET', '/api/runs/r-1')?.path).toBe('/api/runs/{id}');
    expect(findRoute('get', '/api/flows/f/versions?x=1')?.path).toBe('/api/flows/{id}/versions');
    expect(findRoute('POST', '/hooks/erp/orders/changed')?.path).toBe('/hooks/{path}');
    expect(findRoute('GET', '/api/nowhere')).toBeUndefined();
    expect(findRoute('DELETE', '/api/runs/r-1')).toBeUndefined();
  });

  it('names the field of an answer that does not match, and refuses undeclared statuses', () => {
    const ok = { runId: 'r1' };
    expect(checkResponse('POST', '/api/flows/f/runs', 202, ok)).toEqual([]);
    expect(checkResponse('POST', '/api/flows/f/runs', 202, { ...ok, extra: 1 })).toEqual([
      '$.extra: "extra" is not a known field here.',
    ]);
    expect(checkResponse('POST', '/api/flows/f/runs', 201, ok)).toEqual([
      'POST /api/flows/{id}/runs: status 201 is not in the contract',
    ]);
    expect(checkResponse('GET', '/api/nowhere', 200, {})).toEqual([
      'GET /api/nowhere: no such route in the contract',
    ]);
    expect(checkResponse('DELETE', '/api/flow-files/f', 204, undefined)).toEqual([]);
    // A browser revalidating its cached copy (ETag) gets 304 without a body.
    expect(checkResponse('GET', '/api/flows', 304, undefined)).toEqual([]);
    expect(checkResponse('POST', '/api/flows/f/runs', 304, undefined)).toEqual([
      'POST /api/flows/{id}/runs: status 304 is not in the contract',
    ]);
  });

  it('checks error answers against the error shape, whatever the status', () => {
    const error = { error: { code: 'not-found', message: 'No run.' } };
    expect(checkResponse('GET', '/api/runs/r', 404, error)).toEqual([]);
    expect(checkResponse('GET', '/api/runs/r', 418, error)).toEqual([]);
    expect(checkResponse('GET', '/api/runs/r', 404, { message: 'No run.' })).toEqual([
      '$.error: The field "error" is required.',
      '$.message: "message" is not a known field here.',
    ]);
  });

  it('parses a body into its type or throws a ContractError naming the fields', () => {
    expect(parseBody(ErrorBody, { error: { code: 'x', message: 'y' } }, 'test').error.code).toBe(
      'x',
    );
    const bad = () => parseBody(ErrorBody, { error: { code: 1 } }, 'GET /x (500)');
    expect(bad).toThrow(ContractError);
    expect(bad).toThrow(
      'GET /x (500) does not match the API contract: $.error.message: The field "message" is required.; $.error.code: Must be string.',
    );
  });
});
