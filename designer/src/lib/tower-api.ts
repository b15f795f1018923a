import {
  type Diagnostic,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type ProcessDocument,
} from '@crossdock/nodes';

/** The control tower's answers (`/api/processes/...`), parsed once at the edge. */
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

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const orNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});

function breachRow(b: JsonObject): BreachRow {
  return {
    id: str(b.id),
    expectation: str(b.expectation),
    name: str(b.name, str(b.expectation)),
    owner: str(b.owner),
    severity: str(b.severity),
    breachedAt: str(b.breachedAt),
    status: str(b.status),
  };
}

function objectRow(o: JsonObject): ObjectRow {
  return {
    key: str(o.key),
    stage: str(o.stage),
    stageSince: str(o.stageSince),
    updatedAt: str(o.updatedAt),
    openBreaches: list(o.openBreaches).map(breachRow),
    failedChecks: Array.isArray(o.failedChecks) ? o.failedChecks.map((c) => str(c)) : [],
    nextDeadline: orNull(o.nextDeadline),
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** A process document from the runtime (deployed, so validated there): its shape checked here. */
function processDocument(p: JsonObject): ProcessDocument | undefined {
  const arrays = ['milestones', 'expectations', 'checks'] as const;
  if (typeof p.id !== 'string' || !arrays.every((k) => Array.isArray(p[k]))) return undefined;
  return p as unknown as ProcessDocument;
}

/** The diagnostics in a refusal's details (the runtime runs the same validator). */
function refusal(error: unknown): { message: string; diagnostics: Diagnostic[] } | undefined {
  if (!(error instanceof Error) || !('details' in error)) return undefined;
  const details = obj((error as { details: unknown }).details);
  const diagnostics = list(details.diagnostics) as unknown as Diagnostic[];
  return { message: error.message, diagnostics };
}

/** The control tower's part of the API client. */
export function createTowerApi(call: Call) {
  const base = (id: string) => `/api/processes/${encodeURIComponent(id)}`;
  return {
    async processes(): Promise<ProcessInfo[]> {
      return list(obj(await call('GET', '/api/processes')).processes).map((p) => ({
        id: str(p.id),
        name: str(p.name),
        businessKey: str(p.businessKey),
        milestones: list(p.milestones).map((m) => ({
          id: str(m.id),
          name: str(m.name),
          system: orNull(m.system),
        })),
      }));
    },
    async definitions(): Promise<ProcessDefinitions> {
      const body = obj(await call('GET', '/api/processes'));
      return {
        documents: list(body.processes).flatMap((p) => processDocument(p) ?? []),
        editable: body.editable === true,
      };
    },
    /** `PUT /api/processes/:id`: a refusal comes back with the validator's diagnostics. */
    async deploy(doc: ProcessDocument): Promise<ProcessDeployOutcome> {
      try {
        const r = obj(await call('PUT', base(doc.id), doc));
        return {
          ok: true,
          version: str(r.version),
          created: r.created === true,
          active: r.active === true,
        };
      } catch (error) {
        const refused = refusal(error);
        if (!refused) throw error;
        return { ok: false, ...refused };
      }
    },
    async summary(id: string): Promise<TowerSummary> {
      const s = obj(await call('GET', `${base(id)}/summary`));
      return {
        objects: num(s.objects),
        at: str(s.at),
        stages: list(s.stages).map((x) => ({
          stage: str(x.stage),
          name: str(x.name),
          system: orNull(x.system),
          count: num(x.count),
          aging: list(x.aging).map((a) => ({ bucket: str(a.bucket), count: num(a.count) })),
        })),
        breaches: list(s.breaches).map((b) => ({
          owner: str(b.owner),
          severity: str(b.severity),
          objects: num(b.objects),
        })),
        failedChecks: list(s.failedChecks).map((c) => ({
          check: str(c.check),
          name: str(c.name),
          owner: str(c.owner),
          severity: str(c.severity),
          objects: num(c.objects),
        })),
      };
    },
    async objects(id: string, q: ObjectQuery, limit = 100): Promise<ObjectRow[]> {
      const params = new URLSearchParams({ limit: String(limit) });
      for (const [k, v] of Object.entries(q))
        if (v !== undefined && v !== '') params.set(k, String(v));
      return list(obj(await call('GET', `${base(id)}/objects?${params}`)).objects).map(objectRow);
    },
    async object(id: string, key: string): Promise<TowerObject> {
      const o = obj(await call('GET', `${base(id)}/objects/${encodeURIComponent(key)}`));
      const failed = list(o.failedChecks);
      return {
        ...objectRow(o),
        // Here the failed checks come whole (the list gives their ids only).
        failedChecks: failed.map((f) => str(f.check)),
        timeline: list(o.timeline).map((e) => ({
          id: str(e.id),
          milestone: str(e.milestone),
          name: str(e.name, str(e.milestone)),
          system: orNull(e.system),
          occurredAt: str(e.occurredAt),
          flowId: str(e.flowId),
          runId: str(e.runId),
          stepIndex: typeof e.stepIndex === 'number' ? e.stepIndex : null,
          nodeId: orNull(e.nodeId),
          attributes: obj(e.attributes),
        })),
        open: list(o.open).map((x) => ({
          expectation: str(x.expectation),
          name: str(x.name),
          owner: str(x.owner),
          severity: str(x.severity),
          deadline: str(x.deadline),
          timeLeftMs: num(x.timeLeftMs),
        })),
        breaches: list(o.breaches).map((b) => {
          const ack = isJsonObject(b.ack) ? b.ack : null;
          return {
            ...breachRow(b),
            deadline: str(b.deadline),
            ack: ack ? { by: str(ack.by), at: str(ack.at), comment: str(ack.comment) } : null,
            escalationRunId: orNull(obj(b.escalation).runId),
          };
        }),
        failed: failed.map((f) => ({
          check: str(f.check),
          name: str(f.name),
          owner: str(f.owner),
          severity: str(f.severity),
          values: obj(f.values),
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
