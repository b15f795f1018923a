import type { JsonValue } from '@crossdock/nodes';
import {
  parseBody,
  ReconciliationDetail,
  ReconciliationList,
  type Static,
  type TSchema,
} from '@crossdock/nodes/api';

/** The reconciliation answers (`/api/reconciliations/...`) as their pages show them. */
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

const json = (v: JsonValue | undefined): JsonValue => (v === undefined ? null : v);

type Difference = NonNullable<Static<typeof ReconciliationDetail>['latest']>['differences'][number];

function difference(d: Difference): DifferenceInfo {
  return {
    key: d.key,
    status: d.status,
    fields: d.fields.map((f) => ({
      field: f.field,
      left: json(f.left),
      right: json(f.right),
      compared: { left: json(f.compared.left), right: json(f.compared.right) },
    })),
    tower: d.tower ?? null,
    drift: d.drift
      ? {
          systemOfRecord: d.drift.systemOfRecord.system,
          drifted: d.drift.drifted.system,
          side: d.drift.systemOfRecord.side,
          fields: d.drift.fields.map((f) => ({
            field: f.field,
            systemOfRecord: json(f.systemOfRecord),
            drifted: json(f.drifted),
          })),
        }
      : null,
    decision: d.decision
      ? {
          action: d.decision.action,
          actor: d.decision.actor,
          at: d.decision.at,
          comment: d.decision.comment,
        }
      : null,
  };
}

type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** The reconciliation part of the API client: answers typed by the API contract. */
export function createReconcileApi(call: Call) {
  const base = (id: string) => `/api/reconciliations/${encodeURIComponent(id)}`;
  const get = async <T extends TSchema>(schema: T, path: string): Promise<Static<T>> =>
    parseBody(schema, await call('GET', path), `GET ${path}`);
  return {
    async streams(): Promise<StreamSummary[]> {
      return (await get(ReconciliationList, '/api/reconciliations')).reconciliations.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        owner: r.owner,
        left: r.systems.left,
        right: r.systems.right,
        systemOfRecord: r.systemOfRecord ?? null,
        latest: r.latest,
      }));
    },
    async stream(id: string): Promise<StreamDetail> {
      const body = await get(ReconciliationDetail, base(id));
      const doc = body.reconciliation;
      const latest = body.latest;
      return {
        id: doc.id,
        name: doc.name,
        kind: doc.kind,
        owner: doc.owner,
        left: doc.left.system,
        right: doc.right.system,
        correction: doc.correction?.flow ?? null,
        latest: latest
          ? {
              id: latest.id,
              status: latest.status,
              error: latest.error ?? null,
              startedAt: latest.startedAt,
              counts: latest.counts,
              differences: latest.differences.map(difference),
            }
          : null,
        trend: body.trend.map((t) => ({
          run: t.run,
          at: t.at,
          different: t.different,
          missingLeft: t.missingLeft,
          missingRight: t.missingRight,
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
