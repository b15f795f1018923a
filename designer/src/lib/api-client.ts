import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import { isJsonObject } from '@crossdock/nodes';
import {
  ConnectionList,
  ContractError,
  checkResponse,
  Deployed,
  Deployment,
  EnvironmentInfo as EnvironmentBody,
  FlowFile as FlowFileBody,
  FlowFileList,
  FlowList,
  PartnerList,
  PinList,
  parseBody,
  ReplayStarted,
  RunPage,
  RunWithSteps,
  SampleList,
  SavedFlowFile as SavedFlowFileBody,
  type Static,
  TestCaseSaved,
  TestRunStarted,
  type TSchema,
} from '@crossdock/nodes/api';
import type {
  ConnectionInfo,
  EnvironmentInfo,
  FlowFile,
  FlowFileSummary,
  NodePin,
  Run,
  RunSummary,
  Sample,
  SavedFlowFile,
} from './api-types';
import { createReconcileApi } from './reconcile-api';
import { createShadowsApi } from './shadows-api';
import { createTowerApi } from './tower-api';

/** An error answer of the runtime: `{"error":{"code","message","details"}}` plus the status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export interface RunFilters {
  flow?: string;
  status?: string;
  key?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export interface ApiClientOptions {
  /** Told when the runtime refuses the key (401), so the app can ask for another one. */
  onUnauthorized?: () => void;
}

/** The runtime's HTTP API, typed. One instance per API key. */
export function createApiClient(
  apiKey: string,
  fetchImpl: Fetch = (i, r) => fetch(i, r),
  options: ApiClientOptions = {},
) {
  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetchImpl(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 204) return null;
    const raw = await res.text();
    let parsed: unknown = null;
    let json = true;
    try {
      parsed = raw === '' ? null : JSON.parse(raw);
    } catch {
      json = false;
    }
    if (res.status === 401) options.onUnauthorized?.();
    // Every answer of the runtime is checked against the API contract: drift fails here, naming
    // the field. An error page that is not JSON comes from something in between (a proxy).
    const route = path.split('?')[0] ?? path;
    const problems =
      !json && !res.ok
        ? []
        : json
          ? checkResponse(method, route, res.status, parsed)
          : ['(body): not JSON'];
    if (problems.length > 0) {
      throw new ContractError(
        `${method} ${route} answered ${res.status} with a body that`,
        problems,
      );
    }
    if (!res.ok) {
      const e = isJsonObject(parsed) && isJsonObject(parsed.error) ? parsed.error : {};
      throw new ApiError(
        res.status,
        text(e.code, `http-${res.status}`),
        text(e.message, `${method} ${path} failed with HTTP ${res.status}.`),
        e.details,
      );
    }
    return parsed;
  }

  /** `call`, its body typed by the schema of the status the caller expects. */
  async function request<T extends TSchema>(
    schema: T,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Static<T>> {
    return parseBody(schema, await call(method, path, body), `${method} ${path}`);
  }

  return {
    /** The control tower (`/api/processes`). */
    tower: createTowerApi(call),
    /** Dual runs of a candidate version (`/api/flows/:id/shadows`). */
    shadows: createShadowsApi(call),
    /** Reconciliation streams and master-data drift (`/api/reconciliations`). */
    reconcile: createReconcileApi(call),
    async listFlowFiles(): Promise<FlowFileSummary[]> {
      return (await request(FlowFileList, 'GET', '/api/flow-files')).files;
    },
    /** Deployed flows and the version new runs start on (`GET /api/flows`). */
    async activeVersions(): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const f of (await request(FlowList, 'GET', '/api/flows')).flows) {
        if (f.latestVersion !== null) out[f.id] = f.latestVersion;
      }
      return out;
    },
    async getFlowFile(id: string): Promise<FlowFile> {
      return request(FlowFileBody, 'GET', `/api/flow-files/${encodeURIComponent(id)}`);
    },
    async saveFlowFile(id: string, flow: FlowDocument): Promise<SavedFlowFile> {
      return request(SavedFlowFileBody, 'PUT', `/api/flow-files/${encodeURIComponent(id)}`, {
        flow,
      });
    },
    async deleteFlowFile(id: string): Promise<void> {
      await call('DELETE', `/api/flow-files/${encodeURIComponent(id)}`);
    },
    async samples(id: string): Promise<Sample[]> {
      const path = `/api/flow-files/${encodeURIComponent(id)}/samples`;
      return (await request(SampleList, 'GET', path)).samples;
    },
    async connections(): Promise<{
      environment: string;
      editable: boolean;
      connections: ConnectionInfo[];
    }> {
      return request(ConnectionList, 'GET', '/api/connections');
    },
    async saveConnection(name: string, definition: JsonValue): Promise<void> {
      await call('PUT', `/api/connections/${encodeURIComponent(name)}`, definition);
    },
    async environment(): Promise<EnvironmentInfo> {
      const [environment, partners] = await Promise.all([
        request(EnvironmentBody, 'GET', '/api/environment'),
        request(PartnerList, 'GET', '/api/partners'),
      ]);
      return {
        name: environment.name,
        editable: environment.editable,
        connections: environment.connections,
        partners: partners.partners.map((p) => ({ id: p.id, name: p.name })),
      };
    },
    /**
     * A test run of the document as edited: safe (side-effecting nodes answer from their pinned
     * output) unless `send`; `stopAt` ends it after that node.
     */
    async startTestRun(
      flowId: string,
      flow: FlowDocument,
      payload: JsonValue,
      options: { send?: boolean; stopAt?: string } = {},
    ): Promise<string> {
      const path = `/api/flows/${encodeURIComponent(flowId)}/test-runs`;
      return (await request(TestRunStarted, 'POST', path, { flow, payload, ...options })).runId;
    },
    async pins(flowId: string): Promise<Record<string, NodePin>> {
      const path = `/api/flow-files/${encodeURIComponent(flowId)}/pins`;
      return (await request(PinList, 'GET', path)).pins;
    },
    async pin(flowId: string, nodeId: string, pin: NodePin): Promise<void> {
      await call(
        'PUT',
        `/api/flow-files/${encodeURIComponent(flowId)}/pins/${encodeURIComponent(nodeId)}`,
        pin,
      );
    },
    async getRun(id: string): Promise<Run> {
      return request(RunWithSteps, 'GET', `/api/runs/${encodeURIComponent(id)}`);
    },
    async listRuns(
      filters: RunFilters,
    ): Promise<{ runs: RunSummary[]; nextCursor: string | null }> {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
      return request(RunPage, 'GET', `/api/runs${q.size > 0 ? `?${q}` : ''}`);
    },
    async listExceptions(): Promise<RunSummary[]> {
      return (await request(RunPage, 'GET', '/api/exceptions')).runs;
    },
    async replay(
      id: string,
      options: { fromNode?: string; input?: JsonValue; fromStart?: boolean },
    ): Promise<string> {
      const path = `/api/runs/${encodeURIComponent(id)}/replay`;
      return (await request(ReplayStarted, 'POST', path, options)).runId;
    },
    async discard(id: string, reason: string): Promise<void> {
      await call('POST', `/api/runs/${encodeURIComponent(id)}/discard`, { reason });
    },
    /** Deploys the document as its version; `created` is false when it was deployed already. */
    async deploy(flow: FlowDocument): Promise<{ version: string; created: boolean }> {
      const path = `/api/flows/${encodeURIComponent(flow.id)}`;
      const { version, created } = await request(Deployed, 'PUT', path, flow);
      return { version, created };
    },
    async flowVersion(id: string, version: string): Promise<FlowDocument> {
      const path = `/api/flows/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`;
      return (await request(Deployment, 'GET', path)).flow;
    },
    async saveTestCase(runId: string, name: string): Promise<string> {
      const path = `/api/runs/${encodeURIComponent(runId)}/test-case`;
      return (await request(TestCaseSaved, 'POST', path, { name })).path;
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The development key the runtime hands out at `/designer-config.json`, or null. */
export async function fetchDesignerConfig(fetchImpl: Fetch = (i, r) => fetch(i, r)) {
  try {
    const res = await fetchImpl('/designer-config.json');
    if (!res.ok) return null;
    const body: unknown = await res.json();
    return isJsonObject(body) && typeof body.apiKey === 'string' ? body.apiKey : null;
  } catch {
    return null;
  }
}

/** What the runtime says about a key typed on the sign-in page. */
export type KeyCheck =
  | { ok: true }
  | { ok: false; reason: 'wrong-key' | 'unreachable' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Tries `key` on a route every role may read, without keeping it anywhere. */
export async function checkApiKey(
  key: string,
  fetchImpl: Fetch = (i, r) => fetch(i, r),
): Promise<KeyCheck> {
  try {
    const res = await fetchImpl('/api/environment', {
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.ok) return { ok: true };
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      return {
        ok: false,
        reason: 'throttled',
        retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 60,
      };
    }
    return { ok: false, reason: res.status === 401 ? 'wrong-key' : 'unreachable' };
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
}
