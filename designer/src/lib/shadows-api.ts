import type { FlowDocument, JsonValue } from '@crossdock/nodes';
import {
  FlowList,
  parseBody,
  Shadow,
  ShadowList,
  ShadowReport,
  type Static,
  type TSchema,
} from '@crossdock/nodes/api';

/** A shadow (`/api/flows/:id/shadows`) as the shadows page shows it. */
export interface ShadowInfo {
  id: string;
  flowId: string;
  version: string;
  activeVersion: string;
  sample: number;
  until: string | null;
  ignore: string[];
  status: 'running' | 'stopped';
  startedAt: string;
  startedBy: string;
  stoppedAt: string | null;
}

export interface ShadowExample {
  businessKeys: Record<string, string>;
  aRunId: string;
  bRunId: string;
  field: string;
  a: JsonValue;
  b: JsonValue;
}

export interface ShadowPair {
  outcome: string;
  businessKeys: Record<string, string>;
  aRunId: string;
  bRunId: string;
  aStatus: string;
  bStatus: string;
  differences: { field: string; a: JsonValue; b: JsonValue }[];
  onlyInA: number;
  onlyInB: number;
}

export interface CutoverInfo {
  met: boolean;
  criterion: {
    minRuns: number;
    minIdenticalPercent: number;
    fields: string[];
    requireForPromotion: boolean;
  };
  checks: { name: string; met: boolean; detail: string }[];
}

export interface ShadowReportInfo {
  shadow: ShadowInfo;
  counts: {
    mirrored: number;
    compared: number;
    identical: number;
    differing: number;
    onlyInA: number;
    onlyInB: number;
  };
  timeline: { at: string; counts: Record<string, number> }[];
  fields: { field: string; count: number; examples: ShadowExample[] }[];
  differences: ShadowPair[];
  cutover: CutoverInfo | null;
}

const json = (v: JsonValue | undefined): JsonValue => (v === undefined ? null : v);

function shadowInfo(s: Static<typeof Shadow>): ShadowInfo {
  return {
    id: s.id,
    flowId: s.flowId,
    version: s.version,
    activeVersion: s.activeVersion,
    sample: s.sample,
    until: s.until ?? null,
    ignore: s.ignore,
    status: s.status,
    startedAt: s.startedAt,
    startedBy: s.startedBy,
    stoppedAt: s.stoppedAt ?? null,
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The shadows' part of the API client: answers typed by the API contract. */
export function createShadowsApi(call: Call) {
  const base = (flowId: string) => `/api/flows/${encodeURIComponent(flowId)}/shadows`;
  const request = async <T extends TSchema>(
    schema: T,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Static<T>> => parseBody(schema, await call(method, path, body), `${method} ${path}`);
  return {
    /** The deployed flows and the version each runs now (what a shadow runs beside). */
    async deployedFlows(): Promise<{ id: string; name: string; activeVersion: string | null }[]> {
      return (await request(FlowList, 'GET', '/api/flows')).flows.map((f) => ({
        id: f.id,
        name: f.name,
        activeVersion: f.latestVersion,
      }));
    },
    async list(flowId: string): Promise<ShadowInfo[]> {
      return (await request(ShadowList, 'GET', base(flowId))).shadows.map(shadowInfo);
    },
    async start(
      flowId: string,
      flow: FlowDocument,
      options: { sample?: number; ignore?: string[] },
    ): Promise<ShadowInfo> {
      const body = {
        version: flow.version,
        flow,
        ...(options.sample !== undefined ? { sample: options.sample } : {}),
        ...(options.ignore && options.ignore.length > 0 ? { ignore: options.ignore } : {}),
      };
      return shadowInfo(await request(Shadow, 'POST', base(flowId), body));
    },
    async stop(flowId: string, id: string): Promise<ShadowInfo> {
      const path = `${base(flowId)}/${encodeURIComponent(id)}`;
      return shadowInfo(await request(Shadow, 'DELETE', path));
    },
    async report(flowId: string, id: string): Promise<ShadowReportInfo> {
      const path = `${base(flowId)}/${encodeURIComponent(id)}`;
      const r = await request(ShadowReport, 'GET', path);
      return {
        shadow: shadowInfo(r.shadow),
        counts: r.counts,
        timeline: r.timeline,
        fields: r.fields,
        differences: r.differences.map((d) => ({
          outcome: d.outcome,
          businessKeys: d.businessKeys,
          aRunId: d.aRunId,
          bRunId: d.bRunId,
          aStatus: d.aStatus,
          bStatus: d.bStatus,
          differences: d.differences.map((x) => ({ field: x.field, a: json(x.a), b: json(x.b) })),
          onlyInA: d.onlyInA.length,
          onlyInB: d.onlyInB.length,
        })),
        cutover: r.cutover,
      };
    },
  };
}

export type ShadowsApi = ReturnType<typeof createShadowsApi>;
