import type { Diagnostic, JsonObject, JsonValue, ProcessDocument } from '@crossdock/nodes';
import { isJsonObject } from '@crossdock/nodes';
import {
  ObjectPage,
  ProcessDeployed,
  ProcessList,
  ProcessObject,
  ProcessSummary,
  parseBody,
  type Static,
  type TSchema,
} from '@crossdock/nodes/api';

/** The control tower's answers (`/api/processes/...`) as its pages show them. */
export interface ProcessInfo {
  id: string;
  name: string;
  businessKey: string;
  milestones: { id: string; name: string; system: string | null }[];
}

export interface StageSummary {
  stage: string;
  name: string;
  system: string | null;
  count: number;
  aging: { bucket: string; count: number }[];
}

export interface TowerSummary {
  objects: number;
  stages: StageSummary[];
  breaches: { owner: string; severity: string; objects: number }[];
  failedChecks: { check: string; name: string; owner: string; severity: string; objects: number }[];
  at: string;
}

export interface BreachRow {
  id: string;
  expectation: string;
  name: string;
  owner: string;
  severity: string;
  breachedAt: string;
  status: string;
}

export interface ObjectRow {
  key: string;
  stage: string;
  stageSince: string;
  updatedAt: string;
  openBreaches: BreachRow[];
  failedChecks: string[];
  nextDeadline: string | null;
}

export interface TimelineEntry {
  id: string;
  milestone: string;
  name: string;
  system: string | null;
  occurredAt: string;
  flowId: string;
  runId: string;
  stepIndex: number | null;
  nodeId: string | null;
  attributes: JsonObject;
}

export interface TowerObject extends ObjectRow {
  timeline: TimelineEntry[];
  open: {
    expectation: string;
    name: string;
    owner: string;
    severity: string;
    deadline: string;
    timeLeftMs: number;
  }[];
  breaches: (BreachRow & {
    deadline: string;
    ack: { by: string; at: string; comment: string } | null;
    escalationRunId: string | null;
  })[];
  failed: { check: string; name: string; owner: string; severity: string; values: JsonObject }[];
}

/** The active process documents, and whether this key may deploy new versions here. */
export interface ProcessDefinitions {
  documents: ProcessDocument[];
  editable: boolean;
}

/** What a deploy of a process version came to. */
export type ProcessDeployOutcome =
  | { ok: true; version: string; created: boolean; active: boolean }
  | { ok: false; message: string; diagnostics: Diagnostic[] };

export interface ObjectQuery {
  stage?: string;
  breached?: boolean;
  owner?: string;
  key?: string;
  olderThan?: string;
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

type ObjectRowBody = Static<typeof ObjectPage>['objects'][number];

function objectRow(o: Omit<ObjectRowBody, 'failedChecks'>, failedChecks: string[]): ObjectRow {
  return {
    key: o.key,
    stage: o.stage,
    stageSince: o.stageSince,
    updatedAt: o.updatedAt,
    openBreaches: o.openBreaches,
    failedChecks,
    nextDeadline: o.nextDeadline ?? null,
  };
}

/** The diagnostics in a refusal's details (the runtime runs the same validator). */
function refusal(error: unknown): { message: string; diagnostics: Diagnostic[] } | undefined {
  if (!(error instanceof Error) || !('details' in error)) return undefined;
  const details = (error as { details: unknown }).details;
  const diagnostics =
    isJsonObject(details) && Array.isArray(details.diagnostics)
      ? (details.diagnostics.filter(isJsonObject) as unknown as Diagnostic[])
      : [];
  return { message: error.message, diagnostics };
}

/** The control tower's part of the API client: answers typed by the API contract. */
export function createTowerApi(call: Call) {
  const base = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
  const get = async <T extends TSchema>(schema: T, path: string): Promise<Static<T>> =>
    parseBody(schema, await call('GET', path), `GET ${path}`);
  return {
    async processes(): Promise<ProcessInfo[]> {
      return (await get(ProcessList, '/api/processes')).processes.map((p) => ({
        id: p.id,
        name: p.name,
        businessKey: p.businessKey,
        milestones: p.milestones.map((m) => ({ id: m.id, name: m.name, system: m.system ?? null })),
      }));
    },
    async definitions(): Promise<ProcessDefinitions> {
      const body = await get(ProcessList, '/api/processes');
      return { documents: body.processes, editable: body.editable };
    },
    /** `PUT /api/processes/:id`: a refusal comes back with the validator's diagnostics. */
    async deploy(doc: ProcessDocument): Promise<ProcessDeployOutcome> {
      try {
        const path = base(doc.id);
        const r = parseBody(ProcessDeployed, await call('PUT', path, doc), `PUT ${path}`);
        return { ok: true, version: r.version, created: r.created, active: r.active };
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        return { ok: false, ...refused };
      }
    },
    async summary(id: string): Promise<TowerSummary> {
      const s = await get(ProcessSummary, `${base(id)}/summary`);
      return {
        objects: s.objects,
        at: s.at,
        stages: s.stages.map((x) => ({ ...x, system: x.system ?? null })),
        breaches: s.breaches,
        failedChecks: s.failedChecks,
      };
    },
    async objects(id: string, q: ObjectQuery, limit = 100): Promise<ObjectRow[]> {
      const params = new URLSearchParams({ limit: String(limit) });
      for (const [k, v] of Object.entries(q))
        if (v !== undefined && v !== '') params.set(k, String(v));
      return (await get(ObjectPage, `${base(id)}/objects?${params}`)).objects.map((o) =>
        objectRow(o, o.failedChecks),
      );
    },
    async object(id: string, key: string): Promise<TowerObject> {
      const o = await get(ProcessObject, `${base(id)}/objects/${encodeURIComponent(key)}`);
      return {
        // Here the failed checks come whole (the list gives their ids only).
        ...objectRow(
          o,
          o.failedChecks.map((f) => f.check),
        ),
        timeline: o.timeline.map((e) => ({
          id: e.id,
          milestone: e.milestone,
          name: e.name,
          system: e.system,
          occurredAt: e.occurredAt,
          flowId: e.flowId,
          runId: e.runId,
          stepIndex: e.stepIndex ?? null,
          nodeId: e.nodeId ?? null,
          attributes: e.attributes,
        })),
        open: o.open.map((x) => ({
          expectation: x.expectation,
          name: x.name,
          owner: x.owner ?? '',
          severity: x.severity ?? '',
          deadline: x.deadline,
          timeLeftMs: x.timeLeftMs,
        })),
        breaches: o.breaches.map((b) => ({
          id: b.id,
          expectation: b.expectation,
          name: b.name,
          owner: b.owner,
          severity: b.severity,
          breachedAt: b.breachedAt,
          status: b.status,
          deadline: b.deadline,
          ack: b.ack ?? null,
          escalationRunId: b.escalation?.runId ?? null,
        })),
        failed: o.failedChecks.map((f) => ({
          check: f.check,
          name: f.name,
          owner: f.owner,
          severity: f.severity,
          values: f.values,
        })),
      };
    },
    async acknowledge(id: string, key: string, breachId: string, comment: string): Promise<void> {
      await call(
        'POST',
        `${base(id)}/objects/${encodeURIComponent(key)}/breaches/${encodeURIComponent(breachId)}/ack`,
        { comment } satisfies JsonValue,
      );
    },
  };
}

export type TowerApi = ReturnType<typeof createTowerApi>;
