/**
 * The HTTP API described once: JSON Schemas (TypeBox, so each is a JSON Schema and a
 * TypeScript type from one definition) for every request and response body, the route list the
 * OpenAPI document is generated from, and the parser every client reads answers with.
 * See docs/api.md.
 */
export type { Static, TSchema } from '@sinclair/typebox';
export * from './common';
export * from './environment';
export * from './flows';
export { openApiDocument } from './openapi';
export * from './processes';
export * from './promotion';
export * from './reconciliations';
export type { ApiParameter, ApiResponse, ApiRoute, HttpMethod } from './route';
export { type ApiRouteKey, apiRoutes } from './routes';
export * from './runs';
export * from './shadows';
export { ContractError, checkBody, checkResponse, findRoute, parseBody } from './validate';
