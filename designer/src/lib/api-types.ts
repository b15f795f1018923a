import type { Diagnostic, FlowDocument, JsonValue } from '@crossdock/nodes';
import { isJsonObject } from '@crossdock/nodes';

/** Shapes the runtime's HTTP API returns (see the runtime's OpenAPI document). */

export interface FlowFileSummary {
  id: string;
  name: string;
  version: string;
  description: string;
  updatedAt: string | null;
  valid: boolean;
  errors: number;
  warnings: number;
}

export interface FlowFile {
  id: string;
  text: string;
  flow: FlowDocument;
  diagnostics: Diagnostic[];
  updatedAt: string | null;
}

export interface SavedFlowFile {
  id: string;
  text: string;
  diagnostics: Diagnostic[];
  previousText: string | null;
}

export interface Sample {
  name: string;
  payload: JsonValue;
}

/** A node's pinned samples: the message it reads and, for a side-effecting node, its answer. */
export interface NodePin {
  input?: JsonValue;
  output?: JsonValue;
}

/** A request a safe test run did not send. */
export interface NotSentRequest {
  method: string;
  url: string;
  body: JsonValue;
}

/** One connection as the designer shows it: never a secret's value, only whether it is set. */
export interface ConnectionInfo {
  name: string;
  system: string;
  baseUrl: string;
  auth: string;
  secrets: { name: string; set: boolean }[];
  definition: JsonValue;
}

export interface EnvironmentInfo {
  name: string;
  /** False where flow files are read-only (every environment but development). */
  editable: boolean;
  connections: { name: string; system: string; baseUrl: string }[];
  /** The trading partners (flows/partners) the EDI nodes may name. */
  partners: { id: string; name: string }[];
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'replaying' | 'discarded';
export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'replaying',
  'discarded',
];

export interface StepError {
  errorClass: string;
  code: string;
  message: string;
}

export interface RunStep {
  nodeId: string;
  nodeType: string;
  attempt: number;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  input: JsonValue | undefined;
  output: JsonValue | undefined;
  port: string | null;
  error: StepError | null;
  /** In a safe test run: what this step would have sent. */
  notSent: NotSentRequest[];
}

export interface Run {
  id: string;
  flowId: string;
  flowVersion: string;
  status: RunStatus;
  trigger: JsonValue | undefined;
  businessKeys: Record<string, string>;
  createdAt: string | null;
  updatedAt: string | null;
  failedNodeId: string | null;
  /** The failure's error code; `dead-lettered` when a dead-letter node parked a caught error. */
  failureCode: string | null;
  /** A safe test run: side-effecting nodes answered from pinned samples. */
  dryRun: boolean;
  replayOf: string | null;
  /** The run that replays this one (a failed run is replayed at most once). */
  replayedBy: string | null;
  replays: string[];
  steps: RunStep[];
  raw: Record<string, JsonValue>;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function firstString(o: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return new Date(v).toISOString();
  }
  return null;
}

/** The runtime records what left a node per port: `[{port, payload}]`. One port reads as its payload. */
function emissions(value: Record<string, JsonValue>): {
  output: JsonValue | undefined;
  port: string | null;
} {
  const ports = Array.isArray(value.ports) ? value.ports.filter((p) => typeof p === 'string') : [];
  const out = value.output;
  const list =
    Array.isArray(out) && out.every((e) => isJsonObject(e) && typeof e.port === 'string')
      ? out
      : null;
  const port = str(value.port) ?? (ports[0] as string | undefined) ?? null;
  if (!list) return { output: out, port };
  if (list.length === 1 && isJsonObject(list[0])) {
    return { output: list[0].payload, port: port ?? str(list[0].port) };
  }
  return { output: list, port: port ?? (isJsonObject(list[0]) ? str(list[0].port) : null) };
}

export function parseStep(value: unknown): RunStep | null {
  if (!isJsonObject(value)) return null;
  const nodeId = str(value.nodeId);
  if (nodeId === null) return null;
  const e = value.error;
  const { output, port } = emissions(value);
  return {
    nodeId,
    nodeType: str(value.nodeType) ?? '',
    attempt: num(value.attempt) ?? 1,
    status: str(value.status) ?? 'unknown',
    startedAt: firstString(value, ['startedAt']),
    endedAt: firstString(value, ['endedAt']),
    durationMs: num(value.durationMs),
    input: value.input,
    output,
    port,
    notSent: Array.isArray(value.notSent)
      ? value.notSent.filter(isJsonObject).map((r) => ({
          method: str(r.method) ?? '',
          url: str(r.url) ?? '',
          body: r.body ?? null,
        }))
      : [],
    error: isJsonObject(e)
      ? {
          errorClass: str(e.errorClass) ?? str(e.name) ?? 'Error',
          code: str(e.code) ?? '',
          message: str(e.message) ?? '',
        }
      : null,
  };
}

function isRunStatus(v: unknown): v is RunStatus {
  return typeof v === 'string' && (RUN_STATUSES as readonly string[]).includes(v);
}

/** Parses a run as `GET /api/runs/:id` returns it, tolerant of fields it does not know. */
export function parseRun(value: unknown): Run | null {
  if (!isJsonObject(value)) return null;
  const id = str(value.id);
  if (id === null) return null;
  const keys: Record<string, string> = {};
  if (isJsonObject(value.businessKeys)) {
    for (const [k, v] of Object.entries(value.businessKeys)) {
      if (v !== null && typeof v !== 'object') keys[k] = String(v);
    }
  }
  const steps = Array.isArray(value.steps)
    ? value.steps.map(parseStep).filter((s): s is RunStep => s !== null)
    : [];
  const replays = Array.isArray(value.replays)
    ? value.replays.map((r) => (isJsonObject(r) ? (str(r.runId) ?? str(r.id)) : str(r)))
    : [];
  const failure = isJsonObject(value.failure) ? value.failure : null;
  const failed = failure ? str(failure.nodeId) : null;
  return {
    id,
    flowId: str(value.flowId) ?? '',
    flowVersion: str(value.flowVersion) ?? str(value.version) ?? '',
    status: isRunStatus(value.status) ? value.status : 'queued',
    trigger: value.trigger ?? value.payload ?? value.triggerPayload,
    businessKeys: keys,
    createdAt: firstString(value, ['createdAt', 'queuedAt', 'startedAt']),
    updatedAt: firstString(value, ['updatedAt', 'endedAt', 'finishedAt']),
    failedNodeId:
      str(value.failedNodeId) ??
      failed ??
      [...steps].reverse().find((s) => s.status === 'failed')?.nodeId ??
      null,
    failureCode: failure && isJsonObject(failure.error) ? str(failure.error.code) : null,
    dryRun: isJsonObject(value.dryRun),
    replayOf:
      str(value.replayOf) ?? (isJsonObject(value.replayOf) ? str(value.replayOf.runId) : null),
    replayedBy: str(value.replayedBy),
    replays: replays.filter((r): r is string => r !== null),
    steps,
    raw: value,
  };
}
