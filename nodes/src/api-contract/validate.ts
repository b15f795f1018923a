import type { Static, TSchema } from '@sinclair/typebox';
import { formatJsonPath } from '../sdk/json';
import { checkSchema } from '../sdk/schema-check';
import { ErrorBody } from './common';
import type { ApiRoute, HttpMethod } from './route';
import { apiRoutes } from './routes';

/**
 * What is wrong with `value` against `schema`, one line per problem naming the field
 * (`$.steps[0]: "port" is not a known field here.`); empty when it matches. The same validator
 * (ajv, formats included) that checks flow files and node configs.
 */
export function checkBody(schema: TSchema, value: unknown): string[] {
  return checkSchema(schema, value).map((p) => `${formatJsonPath(p.pointer)}: ${p.message}`);
}

/** A body that does not match the contract: `problems` names each field. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly context: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${context} does not match the API contract: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
  }
}

/**
 * `value` typed by `schema`, or a `ContractError` naming every field that does not match.
 * `context` says whose body it is (`GET /api/runs/r1 (200)`).
 */
export function parseBody<T extends TSchema>(
  schema: T,
  value: unknown,
  context: string,
): Static<T> {
  const problems = checkBody(schema, value);
  if (problems.length > 0) throw new ContractError(context, problems);
  return value as Static<T>;
}

function templateMatches(template: string, pathname: string): boolean {
  const t = template.split('/');
  const p = pathname.split('/');
  for (let i = 0; i < t.length; i += 1) {
    const seg = t[i] as string;
    const last = i === t.length - 1;
    // `/hooks/{path}`: a webhook path spans slashes.
    if (last && template.startsWith('/hooks/') && seg.startsWith('{')) return p.length > i;
    if (p[i] === undefined) return false;
    if (seg.startsWith('{')) {
      if (p[i] === '') return false;
    } else if (seg !== p[i]) return false;
  }
  return t.length === p.length;
}

/** The route a request reaches, by method and path (query string ignored); literals win. */
export function findRoute(method: string, pathname: string): ApiRoute | undefined {
  const m = method.toLowerCase() as HttpMethod;
  const path = pathname.split('?')[0] ?? pathname;
  const candidates = (apiRoutes as readonly ApiRoute[]).filter(
    (r) => r.method === m && templateMatches(r.path, path),
  );
  // `/api/flows/{id}/versions` over `/hooks/{path}`-like catch-alls: fewest parameters first.
  return candidates.sort(
    (a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0),
  )[0];
}

/**
 * What is wrong with an answer of the API against the contract: an undeclared route or success
 * status, or a body that does not match its schema (error statuses: the `{"error"}` shape).
 */
export function checkResponse(
  method: string,
  pathname: string,
  status: number,
  body: unknown,
): string[] {
  const route = findRoute(method, pathname);
  if (!route) return [`${method.toUpperCase()} ${pathname}: no such route in the contract`];
  // HTTP's own revalidation of a cached GET (ETag): no body, the cached one stands.
  if (status === 304 && route.method === 'get') return [];
  const declared = route.responses[status];
  if (declared) return declared.body === null ? [] : checkBody(declared.body, body);
  if (status >= 400) return checkBody(ErrorBody, body);
  return [`${method.toUpperCase()} ${route.path}: status ${status} is not in the contract`];
}
