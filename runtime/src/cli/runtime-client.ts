import { isJsonObject } from '@crossdock/nodes';

/** A JSON answer from a runtime's API. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Talks to a runtime's `/api` with a bearer key. */
export interface RuntimeClient {
  url: string;
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
        parsed = text;
      }
      return { status: response.status, body: parsed };
    },
  };
}

/** The message of the API's `{"error": {"message"}}` shape, or the status. */
export function apiErrorMessage(answer: ApiAnswer): string {
  const error = isJsonObject(answer.body) ? answer.body.error : undefined;
  if (isJsonObject(error) && typeof error.message === 'string') return error.message;
  return `the runtime answered ${answer.status}`;
}
