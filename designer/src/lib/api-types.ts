import type { JsonValue } from '@crossdock/nodes';
import type {
  ConnectionInfo as ConnectionInfoBody,
  FlowFile as FlowFileBody,
  FlowFileSummary as FlowFileSummaryBody,
  NodePin as NodePinBody,
  Run as RunBody,
  RunStatus as RunStatusBody,
  RunWithSteps,
  Sample as SampleBody,
  SavedFlowFile as SavedFlowFileBody,
  Static,
  Step,
} from '@crossdock/nodes/api';

/**
 * The shapes the runtime's HTTP API returns, as its contract (`@crossdock/nodes/api`) types
 * them: the designer reads the runtime's own field names, never a second vocabulary.
 */

export type FlowFileSummary = FlowFileSummaryBody;
export type FlowFile = FlowFileBody;
export type SavedFlowFile = SavedFlowFileBody;
export type Sample = SampleBody;
/** A node's pinned samples: the message it reads and, for a side-effecting node, its answer. */
export type NodePin = NodePinBody;
/** One connection as the designer shows it: never a secret's value, only whether it is set. */
export type ConnectionInfo = Static<typeof ConnectionInfoBody>;
/** A request a safe test run did not send. */
export type NotSentRequest = NonNullable<Step['notSent']>[number];

export interface EnvironmentInfo {
  name: string;
  /** False where flow files are read-only (every environment but development). */
  editable: boolean;
  connections: { name: string; system: string; kind: string; baseUrl: string }[];
  /** The trading partners (flows/partners) the EDI nodes may name. */
  partners: { id: string; name: string }[];
}

export type RunStatus = RunStatusBody;
export { RUN_STATUSES } from '@crossdock/nodes/api';

/** A run as the run lists return it (no steps). */
export type RunSummary = RunBody;
/** A run with its steps (`GET /api/runs/{id}`). */
export type Run = RunWithSteps;
/** One attempt of one node on one message. */
export type RunStep = Step;
export type StepError = NonNullable<Step['error']>;

/** The node a failed run failed on, from its failure record. */
export function failedNodeOf(run: RunSummary): string | null {
  return run.failure?.nodeId ?? null;
}

/** The failure's error code; `dead-lettered` when a dead-letter node parked a caught error. */
export function failureCodeOf(run: RunSummary): string | null {
  return run.failure?.error.code ?? null;
}

/** What a step emitted, for display: one port's payload as itself, several as the list. */
export function stepOutput(step: RunStep): JsonValue | undefined {
  const out = step.output;
  if (out === undefined) return undefined;
  if (out.length === 1 && out[0]) return out[0].payload;
  return out.map((e) => ({ port: e.port, payload: e.payload }));
}

/** The ports a step took, as one label (`out`; `a, b` for several), or null for none. */
export function portsOf(step: RunStep): string | null {
  return step.ports.length > 0 ? step.ports.join(', ') : null;
}

export type { Static };
