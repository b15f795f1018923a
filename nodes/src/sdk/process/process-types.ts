import type { Expression } from '../flow-types';

/** The current business process file format. */
export const PROCESS_SCHEMA_VERSION = 1;

export const PROCESS_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ProcessSeverity = (typeof PROCESS_SEVERITIES)[number];

/** The API roles (`viewer` < `analyst` < `operator` < `admin`), as the process file names them. */
export const PROCESS_ROLES = ['viewer', 'analyst', 'operator', 'admin'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** A node of a flow that succeeded (and, with `port`, sent its message out of that port). */
export interface StepSource {
  flow: string;
  node: string;
  port?: string;
}

/** A run of a flow that ended in this status. */
export interface RunSource {
  flow: string;
  runStatus: 'succeeded' | 'failed';
}

export type MilestoneSource = StepSource | RunSource;

/**
 * A business event observed on flows' steps: no flow needs to change to be observed. Every
 * expression sees `{trigger, input, output, keys, run}` of the step that produced it.
 */
export interface ProcessMilestone {
  id: string;
  name: string;
  /** The system the event belongs to: the lane of the control tower's timeline. */
  system?: string;
  /** Any of these records the milestone; empty when only `flow.milestone` nodes record it. */
  on: MilestoneSource[];
  /** json-logic; the milestone is recorded only when this is truthy. */
  when?: Expression;
  /** json-logic giving the business key; default the run's business key of the process. */
  key?: Expression;
  /** json-logic giving when it happened (ISO 8601); default the end of the step. */
  occurredAt?: Expression;
  /** Named json-logic expressions captured from the step, e.g. the invoiced amount. */
  attributes?: Record<string, Expression>;
}

/** Escalation of a breach: a flow started with the object's context, and/or a webhook. */
export interface ProcessEscalation {
  /** Id of a deployed flow; its trigger receives the breach and the object. */
  flow?: string;
  /** POST of the breach to a path on an HTTP connection of the environment. */
  notify?: { connection: string; path: string };
}

/** After milestone `after`, milestone `expect` within `within`, unless one of `unless`. */
export interface ProcessExpectation {
  id: string;
  name: string;
  after: string;
  expect: string;
  /** ISO 8601 duration, e.g. `PT4H`, `P2D`. */
  within: string;
  unless?: string[];
  /** The team that owns a breach. */
  owner: string;
  severity: ProcessSeverity;
  escalation?: ProcessEscalation;
}

/** A rule across milestones' attributes, e.g. invoiced within 5% of planned. */
export interface ProcessCheck {
  id: string;
  name: string;
  /** Evaluated once all of these are recorded (and again when one is recorded again). */
  requires: string[];
  /** json-logic over `{<milestone id>: attributes}`; falsy is a failed check. */
  rule: Expression;
  owner: string;
  severity: ProcessSeverity;
}

/**
 * A business indicator counted from the process's indexes: objects in a stage (a backlog), with
 * an open breach of an expectation (a delay, a gap) or failing a check (a mismatch).
 */
export type ProcessIndicator = { id: string; name: string } & (
  | { stage: string }
  | { expectation: string }
  | { check: string }
);

/** One file `flows/processes/<id>.process.json`: a business process observed across flows. */
export interface ProcessDocument {
  $schema?: string;
  schemaVersion: number;
  id: string;
  name: string;
  version: string;
  description?: string;
  /** The business key identifying an object, matching flows' `settings.businessKeys`. */
  businessKey: string;
  /** In process order: the current stage is the furthest one recorded. */
  milestones: ProcessMilestone[];
  expectations: ProcessExpectation[];
  checks: ProcessCheck[];
  indicators?: ProcessIndicator[];
  /** Roles that may replay or discard failed runs of the flows this process observes. */
  replayRoles?: ProcessRole[];
}

export function isRunSource(source: MilestoneSource): source is RunSource {
  return 'runStatus' in source;
}
