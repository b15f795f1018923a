import type { TSchema } from '@sinclair/typebox';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A JSON answer of a route: its schema, or `null` for an answer without a body (204). */
export interface ApiResponse {
  description: string;
  body: TSchema | null;
  /** Not JSON (Prometheus text): described, never parsed. */
  contentType?: string;
}

export interface ApiParameter {
  description: string;
  schema?: TSchema;
}

/**
 * One operation of the HTTP API. Adding a route to the API is adding one of these to
 * `apiRoutes` (routes.ts): the OpenAPI document, the clients' parsers and the contract test
 * all read it from there.
 */
export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI template: `/api/runs/{id}`. A `{path}` last segment of `/hooks` spans slashes. */
  path: string;
  summary: string;
  /** Answers without an API key (health, webhooks: they authenticate otherwise). */
  public?: boolean;
  params?: Record<string, string>;
  query?: Record<string, ApiParameter>;
  /** The request body; `optional` when the route also takes none. */
  request?: { body: TSchema; optional?: boolean; description?: string };
  /** Answers with their own body, by status (2xx, and the 503 of `/readyz`). */
  responses: Record<number, ApiResponse>;
  /** 4xx/5xx answers, by status: each a `{"error": {...}}` body (`ErrorBody`). */
  errors?: Record<number, string>;
}

export const json = (body: TSchema, description: string): ApiResponse => ({ body, description });
