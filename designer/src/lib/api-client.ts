import type { Diagnostic, FlowDocument, JsonValue } from '@crossdock/nodes';
import { isJsonObject } from '@crossdock/nodes';
import {
  type ConnectionInfo,
  type EnvironmentInfo,
  type FlowFile,
  type FlowFileSummary,
  type NodePin,
  parseRun,
  type Run,
  type Sample,
  type SavedFlowFile,
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

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function diagnostics(value: unknown): Diagnostic[] {
  // The runtime runs the same validator, so its diagnostics have our shape.
  return asArray(value).filter(isJsonObject) as unknown as Diagnostic[];
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
    try {
      parsed = raw === '' ? null : JSON.parse(raw);
    } catch {
      parsed = null;
    }
    if (res.status === 401) options.onUnauthorized?.();
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

  const obj = (v: unknown) => (isJsonObject(v) ? v : {});

  return {
    /** The control tower (`/api/processes`). */
    tower: createTowerApi(call),
    /** Dual runs of a candidate version (`/api/flows/:id/shadows`). */
    shadows: createShadowsApi(call),
    /** Reconciliation streams and master-data drift (`/api/reconciliations`). */
    reconcile: createReconcileApi(call),
    async listFlowFiles(): Promise<FlowFileSummary[]> {
      return asArray(obj(await call('GET', '/api/flow-files')).files)
        .filter(isJsonObject)
        .map((f) => ({
          id: text(f.id),
          name: text(f.name, text(f.id)),
          version: text(f.version),
          description: text(f.description),
          updatedAt: typeof f.updatedAt === 'string' ? f.updatedAt : null,
          valid: f.valid !== false,
          errors: Array.isArray(f.errors) ? f.errors.length : Number(f.errors ?? 0) || 0,
          warnings: Array.isArray(f.warnings) ? f.warnings.length : Number(f.warnings ?? 0) || 0,
        }));
    },
    /** Deployed flows and the version new runs start on (`GET /api/flows`). */
    async activeVersions(): Promise<Record<string, string>> {
      const out: Record<string, string> = {};
      for (const f of asArray(obj(await call('GET', '/api/flows')).flows)) {
        if (isJsonObject(f) && typeof f.id === 'string' && typeof f.latestVersion === 'string')
          out[f.id] = f.latestVersion;
      }
      return out;
    },
    async getFlowFile(id: string): Promise<FlowFile> {
      const f = obj(await call('GET', `/api/flow-files/${encodeURIComponent(id)}`));
      return {
        id: text(f.id, id),
        text: text(f.text),
        flow: f.flow as unknown as FlowDocument,
        diagnostics: diagnostics(f.diagnostics),
        updatedAt: typeof f.updatedAt === 'string' ? f.updatedAt : null,
      };
    },
    async saveFlowFile(id: string, flow: FlowDocument): Promise<SavedFlowFile> {
      const f = obj(await call('PUT', `/api/flow-files/${encodeURIComponent(id)}`, { flow }));
      return {
        id: text(f.id, id),
        text: text(f.text),
        diagnostics: diagnostics(f.diagnostics),
        previousText: typeof f.previousText === 'string' ? f.previousText : null,
      };
    },
    async deleteFlowFile(id: string): Promise<void> {
      await call('DELETE', `/api/flow-files/${encodeURIComponent(id)}`);
    },
    async samples(id: string): Promise<Sample[]> {
      const body = obj(await call('GET', `/api/flow-files/${encodeURIComponent(id)}/samples`));
      return asArray(body.samples)
        .filter(isJsonObject)
        .map((s) => ({ name: text(s.name), payload: s.payload ?? null }));
    },
    async connections(): Promise<{
      environment: string;
      editable: boolean;
      connections: ConnectionInfo[];
    }> {
      const body = obj(await call('GET', '/api/connections'));
      return {
        environment: text(body.environment),
        editable: body.editable === true,
        connections: asArray(body.connections)
          .filter(isJsonObject)
          .map((c) => ({
            name: text(c.name),
            system: text(c.system),
            baseUrl: text(c.baseUrl),
            auth: text(c.auth, 'none'),
            secrets: asArray(c.secrets)
              .filter(isJsonObject)
              .map((s) => ({ name: text(s.name), set: s.set === true })),
            definition: c.definition ?? null,
          })),
      };
    },
    async saveConnection(name: string, definition: JsonValue): Promise<void> {
      await call('PUT', `/api/connections/${encodeURIComponent(name)}`, definition);
    },
    async environment(): Promise<EnvironmentInfo> {
      const [environment, partnerList] = await Promise.all([
        call('GET', '/api/environment'),
        call('GET', '/api/partners'),
      ]);
      const e = obj(environment);
      return {
        name: text(e.name, 'unknown'),
        editable: e.editable !== false,
        connections: asArray(e.connections)
          .filter(isJsonObject)
          .map((c) => ({ name: text(c.name), system: text(c.system), baseUrl: text(c.baseUrl) })),
        partners: asArray(obj(partnerList).partners)
          .filter(isJsonObject)
          .map((p) => ({ id: text(p.id), name: text(p.name, text(p.id)) })),
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
      const body = obj(
        await call('POST', `/api/flows/${encodeURIComponent(flowId)}/test-runs`, {
          flow,
          payload,
          ...options,
        }),
      );
      return text(body.runId);
    },
    async pins(flowId: string): Promise<Record<string, NodePin>> {
      const body = obj(await call('GET', `/api/flow-files/${encodeURIComponent(flowId)}/pins`));
      const pins: Record<string, NodePin> = {};
      if (isJsonObject(body.pins)) {
        for (const [nodeId, p] of Object.entries(body.pins)) {
          if (!isJsonObject(p)) continue;
          pins[nodeId] = {
            ...(p.input !== undefined ? { input: p.input } : {}),
            ...(p.output !== undefined ? { output: p.output } : {}),
          };
        }
      }
      return pins;
    },
    async pin(flowId: string, nodeId: string, pin: NodePin): Promise<void> {
      await call(
        'PUT',
        `/api/flow-files/${encodeURIComponent(flowId)}/pins/${encodeURIComponent(nodeId)}`,
        pin,
      );
    },
    async getRun(id: string): Promise<Run> {
      const run = parseRun(await call('GET', `/api/runs/${encodeURIComponent(id)}`));
      if (!run) throw new ApiError(500, 'bad-response', `The run "${id}" could not be read.`);
      return run;
    },
    async listRuns(filters: RunFilters): Promise<{ runs: Run[]; nextCursor: string | null }> {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
      const body = obj(await call('GET', `/api/runs${q.size > 0 ? `?${q}` : ''}`));
      return {
        runs: asArray(body.runs)
          .map(parseRun)
          .filter((r): r is Run => r !== null),
        nextCursor: typeof body.nextCursor === 'string' ? body.nextCursor : null,
      };
    },
    async listExceptions(): Promise<Run[]> {
      const body = await call('GET', '/api/exceptions');
      const list = Array.isArray(body) ? body : asArray(obj(body).runs ?? obj(body).exceptions);
      return list.map(parseRun).filter((r): r is Run => r !== null);
    },
    async replay(
      id: string,
      options: { fromNode?: string; input?: JsonValue; fromStart?: boolean },
    ): Promise<string> {
      const body = obj(await call('POST', `/api/runs/${encodeURIComponent(id)}/replay`, options));
      return text(body.runId, text(body.id));
    },
    async discard(id: string, reason: string): Promise<void> {
      await call('POST', `/api/runs/${encodeURIComponent(id)}/discard`, { reason });
    },
    /** Deploys the document as its version; `created` is false when it was deployed already. */
    async deploy(flow: FlowDocument): Promise<{ version: string; created: boolean }> {
      const body = obj(await call('PUT', `/api/flows/${encodeURIComponent(flow.id)}`, flow));
      return { version: text(body.version, flow.version), created: body.created === true };
    },
    async flowVersion(id: string, version: string): Promise<FlowDocument> {
      const body = await call(
        'GET',
        `/api/flows/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`,
      );
      const o = obj(body);
      return (isJsonObject(o.flow) ? o.flow : o) as unknown as FlowDocument;
    },
    async saveTestCase(runId: string, name: string): Promise<string> {
      const body = obj(
        await call('POST', `/api/runs/${encodeURIComponent(runId)}/test-case`, { name }),
      );
      return text(body.path);
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
