import { type FlowDocument, isJsonObject, type JsonObject, type JsonValue } from '@crossdock/nodes';

/** A shadow (`/api/flows/:id/shadows`), parsed once at the edge. */
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

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
const keys = (v: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
const json = (v: unknown): JsonValue => (v === undefined ? null : (v as JsonValue));

function shadowInfo(s: JsonObject): ShadowInfo {
  return {
    id: str(s.id),
    flowId: str(s.flowId),
    version: str(s.version),
    activeVersion: str(s.activeVersion),
    sample: typeof s.sample === 'number' ? s.sample : 1,
    until: typeof s.until === 'string' ? s.until : null,
    ignore: strings(s.ignore),
    status: s.status === 'stopped' ? 'stopped' : 'running',
    startedAt: str(s.startedAt),
    startedBy: str(s.startedBy),
    stoppedAt: typeof s.stoppedAt === 'string' ? s.stoppedAt : null,
  };
}

function cutoverInfo(v: unknown): CutoverInfo | null {
  if (!isJsonObject(v)) return null;
  const c = obj(v.criterion);
  return {
    met: v.met === true,
    criterion: {
      minRuns: num(c.minRuns),
      minIdenticalPercent: num(c.minIdenticalPercent),
      fields: strings(c.fields),
      requireForPromotion: c.requireForPromotion === true,
    },
    checks: list(v.checks).map((x) => ({
      name: str(x.name),
      met: x.met === true,
      detail: str(x.detail),
    })),
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The shadows' part of the API client. */
export function createShadowsApi(call: Call) {
  const base = (flowId: string) => `/api/flows/${encodeURIComponent(flowId)}/shadows`;
  return {
    /** The deployed flows and the version each runs now (what a shadow runs beside). */
    async deployedFlows(): Promise<{ id: string; name: string; activeVersion: string | null }[]> {
      return list(obj(await call('GET', '/api/flows')).flows).map((f) => ({
        id: str(f.id),
        name: str(f.name, str(f.id)),
        activeVersion: typeof f.latestVersion === 'string' ? f.latestVersion : null,
      }));
    },
    async list(flowId: string): Promise<ShadowInfo[]> {
      return list(obj(await call('GET', base(flowId))).shadows).map(shadowInfo);
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
      return shadowInfo(obj(await call('POST', base(flowId), body)));
    },
    async stop(flowId: string, id: string): Promise<ShadowInfo> {
      return shadowInfo(obj(await call('DELETE', `${base(flowId)}/${encodeURIComponent(id)}`)));
    },
    async report(flowId: string, id: string): Promise<ShadowReportInfo> {
      const r = obj(await call('GET', `${base(flowId)}/${encodeURIComponent(id)}`));
      const c = obj(r.counts);
      return {
        shadow: shadowInfo(obj(r.shadow)),
        counts: {
          mirrored: num(c.mirrored),
          compared: num(c.compared),
          identical: num(c.identical),
          differing: num(c.differing),
          onlyInA: num(c.onlyInA),
          onlyInB: num(c.onlyInB),
        },
        timeline: list(r.timeline).map((t) => ({
          at: str(t.at),
          counts: Object.fromEntries(Object.entries(obj(t.counts)).map(([k, v]) => [k, num(v)])),
        })),
        fields: list(r.fields).map((f) => ({
          field: str(f.field),
          count: num(f.count),
          examples: list(f.examples).map((e) => ({
            businessKeys: keys(e.businessKeys),
            aRunId: str(e.aRunId),
            bRunId: str(e.bRunId),
            field: str(e.field),
            a: json(e.a),
            b: json(e.b),
          })),
        })),
        differences: list(r.differences).map((d) => ({
          outcome: str(d.outcome),
          businessKeys: keys(d.businessKeys),
          aRunId: str(d.aRunId),
          bRunId: str(d.bRunId),
          aStatus: str(d.aStatus),
          bStatus: str(d.bStatus),
          differences: list(d.differences).map((x) => ({
            field: str(x.field),
            a: json(x.a),
            b: json(x.b),
          })),
          onlyInA: Array.isArray(d.onlyInA) ? d.onlyInA.length : 0,
          onlyInB: Array.isArray(d.onlyInB) ? d.onlyInB.length : 0,
        })),
        cutover: cutoverInfo(r.cutover),
      };
    },
  };
}

export type ShadowsApi = ReturnType<typeof createShadowsApi>;
