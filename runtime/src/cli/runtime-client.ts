import { isJsonObject } from '@crossdock/nodes';
import {
  ContractError,
  checkResponse,
  parseBody,
  type Static,
  type TSchema,
} from '@crossdock/nodes/api';

/** A JSON answer from a runtime's API, already checked against the API contract. */
export interface ApiAnswer {
  method: string;
  /** The path under `/api`, as requested. */
  path: string;
  status: number;
  body: unknown;
}

/** Talks to a runtime's `/api` with a bearer key. */
export interface RuntimeClient {
  url: string;
  /**
   * Every answer is checked against the contract (`@crossdock/nodes/api`) for its route and
   * status: one that does not match throws a `ContractError` naming each wrong field.
   */
  request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer>;
}

export function runtimeClient(url: string, key: string): RuntimeClient {
  const base = url.replace(/\/+$/, '');
  return {
    url: base,
    async request(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${base}/api${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        throw new Error(`Cannot reach the runtime at ${base}: ${(error as Error).message}`);
      }
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        throw new Error(
          `The runtime at ${base} answered ${method} /api${path} with ${response.status} and no JSON: ${text.slice(0, 200)}`,
        );
      }
      const problems = checkResponse(method, `/api${path.split('?')[0]}`, response.status, parsed);
      if (problems.length > 0) {
        throw new ContractError(
          `The runtime at ${base} answered ${method} /api${path} with ${response.status}, a body that`,
          problems,
        );
      }
      return { method, path, status: response.status, body: parsed };
    },
  };
}

/** The answer's body as `schema` types it (the schema of the status the caller expects). */
export function bodyOf<T extends TSchema>(answer: ApiAnswer, schema: T): Static<T> {
  return parseBody(schema, answer.body, `${answer.method} /api${answer.path} (${answer.status})`);
}

/** The message of the API's `{"error": {"message"}}` shape, or the status. */
export function apiErrorMessage(answer: ApiAnswer): string {
  const error = isJsonObject(answer.body) ? answer.body.error : undefined;
  if (isJsonObject(error) && typeof error.message === 'string') return error.message;
  return `the runtime answered ${answer.status}`;
}
