import type {
  ComparisonCounts,
  JsonValue,
  KeyDifference,
  ReconciliationSide,
} from '@crossdock/nodes';

/** For a master-data difference: which system is right, which copy drifted. */
export interface Drift {
  systemOfRecord: { side: ReconciliationSide; system: string };
  drifted: { side: ReconciliationSide; system: string };
  /** Per field: the system of record's value and the drifted copy's, as read. */
  fields: { field: string; systemOfRecord: JsonValue; drifted: JsonValue }[];
}

/** A difference as a run reports it. */
export interface DifferenceRow extends KeyDifference {
  /** The control tower object of this key, when the stream names a process and it has one. */
  tower?: string;
  drift?: Drift;
  /** Master data: both records as read, what a correction starts from. */
  records?: { left: JsonValue; right: JsonValue };
}

/** One run of a stream, kept in Redis for the configured retention and run count. */
export interface ReconciliationRun {
  id: string;
  reconciliation: string;
  trigger: 'schedule' | 'manual';
  /** Who asked for a manual run. */
  actor?: string;
  startedAt: string;
  finishedAt: string;
  status: 'succeeded' | 'failed';
  error?: string;
  /** Records read per side. */
  read: { left: number; right: number };
  counts: ComparisonCounts;
  differences: DifferenceRow[];
  /** More differences than a run keeps: the counts are whole, the list is not. */
  truncated: boolean;
  duplicates: { side: ReconciliationSide; key: string }[];
  unkeyed: { left: number; right: number };
}

/** A point of the trend: one run's counts. */
export interface TrendPoint {
  run: string;
  at: string;
  status: ReconciliationRun['status'];
  equal: number;
  different: number;
  missingLeft: number;
  missingRight: number;
}

export const DECISION_ACTIONS = ['approve', 'accept'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** A steward's decision on a difference, as the audit keeps it. */
export interface Decision {
  id: string;
  reconciliation: string;
  key: string;
  /** The run whose difference was decided. */
  run: string;
  action: DecisionAction;
  actor: string;
  at: string;
  comment: string;
  /** The drifted system's values before the decision, per field. */
  before: { system: string; values: Record<string, JsonValue> };
  /** What it holds after: the system of record's values (approve) or the same (accept). */
  after: { system: string; values: Record<string, JsonValue> };
  /** Approve: the correction flow's run that pushes the values. */
  correctionRun?: string;
}
