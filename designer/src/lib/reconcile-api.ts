import { isJsonObject, type JsonObject, type JsonValue } from '@crossdock/nodes';

/** The reconciliation answers (`/api/reconciliations/...`), parsed once at the edge. */
export interface StreamSummary {
  id: string;
  name: string;
  kind: string;
  owner: string;
  left: string;
  right: string;
  systemOfRecord: string | null;
  latest: { run: string; at: string; status: string; counts: Counts } | null;
}

export interface Counts {
  keys: number;
  equal: number;
  different: number;
  missingLeft: number;
  missingRight: number;
}

export interface FieldDiff {
  field: string;
  left: JsonValue;
  right: JsonValue;
  /** Both values in the shared vocabulary and unit, as compared. */
  compared: { left: JsonValue; right: JsonValue };
}

export interface DecisionInfo {
  action: string;
  actor: string;
  at: string;
  comment: string;
}

export interface DifferenceInfo {
  key: string;
  status: string;
  fields: FieldDiff[];
  tower: string | null;
  drift: {
    systemOfRecord: string;
    drifted: string;
    /** Which side (`left`/`right`) the system of record is. */
    side: string;
    fields: { field: string; systemOfRecord: JsonValue; drifted: JsonValue }[];
  } | null;
  decision: DecisionInfo | null;
}

export interface StreamDetail {
  id: string;
  name: string;
  kind: string;
  owner: string;
  left: string;
  right: string;
  correction: string | null;
  latest: {
    id: string;
    status: string;
    error: string | null;
    startedAt: string;
    counts: Counts;
    differences: DifferenceInfo[];
  } | null;
  trend: {
    run: string;
    at: string;
    different: number;
    missingLeft: number;
    missingRight: number;
  }[];
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const json = (v: unknown): JsonValue => (v === undefined ? null : (v as JsonValue));

function counts(v: unknown): Counts {
  const c = obj(v);
  return {
    keys: num(c.keys),
    equal: num(c.equal),
    different: num(c.different),
    missingLeft: num(c.missingLeft),
    missingRight: num(c.missingRight),
  };
}

function difference(d: JsonObject): DifferenceInfo {
  const drift = isJsonObject(d.drift) ? d.drift : null;
  const decision = isJsonObject(d.decision) ? d.decision : null;
  return {
    key: str(d.key),
    status: str(d.status),
    fields: list(d.fields).map((f) => ({
      field: str(f.field),
      left: json(f.left),
      right: json(f.right),
      compared: { left: json(obj(f.compared).left), right: json(obj(f.compared).right) },
    })),
    tower: typeof d.tower === 'string' ? d.tower : null,
    drift: drift
      ? {
          systemOfRecord: str(obj(drift.systemOfRecord).system),
          drifted: str(obj(drift.drifted).system),
          side: str(obj(drift.systemOfRecord).side),
          fields: list(drift.fields).map((f) => ({
            field: str(f.field),
            systemOfRecord: json(f.systemOfRecord),
            drifted: json(f.drifted),
          })),
        }
      : null,
    decision: decision
      ? {
          action: str(decision.action),
          actor: str(decision.actor),
          at: str(decision.at),
          comment: str(decision.comment),
        }
      : null,
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The reconciliation part of the API client. */
export function createReconcileApi(call: Call) {
  const base = (id: string) => `/api/reconciliations/${encodeURIComponent(id)}`;
  return {
    async streams(): Promise<StreamSummary[]> {
      return list(obj(await call('GET', '/api/reconciliations')).reconciliations).map((r) => {
        const latest = isJsonObject(r.latest) ? r.latest : null;
        return {
          id: str(r.id),
          name: str(r.name, str(r.id)),
          kind: str(r.kind),
          owner: str(r.owner),
          left: str(obj(r.systems).left),
          right: str(obj(r.systems).right),
          systemOfRecord: typeof r.systemOfRecord === 'string' ? r.systemOfRecord : null,
          latest: latest
            ? {
                run: str(latest.run),
                at: str(latest.at),
                status: str(latest.status),
                counts: counts(latest.counts),
              }
            : null,
        };
      });
    },
    async stream(id: string): Promise<StreamDetail> {
      const body = obj(await call('GET', base(id)));
      const doc = obj(body.reconciliation);
      const latest = isJsonObject(body.latest) ? body.latest : null;
      return {
        id: str(doc.id, id),
        name: str(doc.name, id),
        kind: str(doc.kind),
        owner: str(doc.owner),
        left: str(obj(doc.left).system),
        right: str(obj(doc.right).system),
        correction: isJsonObject(doc.correction) ? str(doc.correction.flow) : null,
        latest: latest
          ? {
              id: str(latest.id),
              status: str(latest.status),
              error: typeof latest.error === 'string' ? latest.error : null,
              startedAt: str(latest.startedAt),
              counts: counts(latest.counts),
              differences: list(latest.differences).map(difference),
            }
          : null,
        trend: list(body.trend).map((t) => ({
          run: str(t.run),
          at: str(t.at),
          different: num(t.different),
          missingLeft: num(t.missingLeft),
          missingRight: num(t.missingRight),
        })),
      };
    },
    async run(id: string): Promise<void> {
      await call('POST', `${base(id)}/run`);
    },
    async decide(id: string, key: string, action: 'approve' | 'accept', comment: string) {
      await call('POST', `${base(id)}/differences/${encodeURIComponent(key)}/decision`, {
        action,
        comment,
      });
    },
  };
}

export type ReconcileApi = ReturnType<typeof createReconcileApi>;
