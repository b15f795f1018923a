import {
  type Catalog,
  type Emission,
  type ErrorCode,
  isJsonObject,
  type JsonValue,
} from '@crossdock/nodes';
import type { RunWithSteps, StepRecord } from '../engine/run-types';
import type { Redactor } from '../infra/redaction';

/** What one node did on its n-th message in the recorded run (final attempt only). */
export interface RecordedStep {
  nodeId: string;
  /** 0-based: the how-many-th message of this node. */
  occurrence: number;
  status: 'succeeded' | 'failed';
  ports: string[];
  /** What a side-effect node was sent (connectors only): a change there reaches a partner. */
  input?: JsonValue;
  output?: Emission[];
  error?: { code: ErrorCode; message: string };
}

/**
 * `flows/tests/<flow id>/<name>.json`: a real run kept as a regression test. Connector steps
 * (`recordings`) are answered from here on replay; `expected` is what every node produced.
 */
export interface TestCase {
  name: string;
  flowId: string;
  /** The version the run was recorded on. */
  recordedVersion: string;
  recordedFrom: string;
  recordedAt: string;
  triggerNodeId?: string;
  trigger: JsonValue;
  recordings: RecordedStep[];
  expected: RecordedStep[];
  /** `<node id>.<field path>` prefixes whose differences do not count (clocks, generated ids). */
  ignore?: string[];
}

export const TEST_CASE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function recordedStep(step: StepRecord, occurrence: number, catalog: Catalog): RecordedStep {
  return {
    nodeId: step.nodeId,
    occurrence,
    status: step.status === 'failed' ? 'failed' : 'succeeded',
    ports: step.ports,
    ...(catalog.get(step.nodeType)?.sideEffects === true ? { input: step.input } : {}),
    ...(step.output !== undefined ? { output: step.output } : {}),
    ...(step.error ? { error: { code: step.error.code, message: step.error.message } } : {}),
  };
}

/** The final attempt of each node's each message, in trace order, numbered per node. */
export function finalSteps(
  steps: readonly StepRecord[],
): { step: StepRecord; occurrence: number }[] {
  const counts = new Map<string, number>();
  const out: { step: StepRecord; occurrence: number }[] = [];
  for (const step of steps) {
    if (step.status === 'retrying') continue;
    const occurrence = counts.get(step.nodeId) ?? 0;
    counts.set(step.nodeId, occurrence + 1);
    out.push({ step, occurrence });
  }
  return out;
}

/**
 * Builds a test case from a finished run. The trace is already redacted by the run store; the
 * whole case goes through the redactor once more, so no secret value can reach the file.
 */
export function testCaseFromRun(
  run: RunWithSteps,
  name: string,
  catalog: Catalog,
  redactor: Redactor,
  now: Date,
): TestCase {
  const steps = finalSteps(run.steps);
  const first = run.steps[0];
  const testCase: TestCase = {
    name,
    flowId: run.flowId,
    recordedVersion: run.version,
    recordedFrom: run.id,
    recordedAt: now.toISOString(),
    ...(first?.nodeType.startsWith('trigger.') ? { triggerNodeId: first.nodeId } : {}),
    trigger: run.trigger,
    recordings: steps
      .filter(({ step }) => catalog.get(step.nodeType)?.sideEffects === true)
      .map(({ step, occurrence }) => recordedStep(step, occurrence, catalog)),
    expected: steps.map(({ step, occurrence }) => recordedStep(step, occurrence, catalog)),
  };
  return redactor.redact(testCase as unknown as JsonValue) as unknown as TestCase;
}

/**
 * Nodes whose recorded output the trace cut short (over CROSSDOCK_TRACE_MAX_BYTES): such a run
 * cannot be replayed faithfully.
 */
export function truncatedNodes(run: RunWithSteps): string[] {
  const out = new Set<string>();
  for (const step of run.steps) {
    for (const e of step.output ?? []) {
      if (isJsonObject(e.payload) && e.payload.$truncated === true) out.add(step.nodeId);
    }
  }
  return [...out];
}

/** Parses a test case file; throws an Error naming what is wrong. */
export function parseTestCase(value: unknown, file: string): TestCase {
  if (
    !isJsonObject(value) ||
    typeof value.flowId !== 'string' ||
    !Array.isArray(value.recordings) ||
    !Array.isArray(value.expected) ||
    !('trigger' in value)
  ) {
    throw new Error(
      `${file} is not a test case (it needs flowId, trigger, recordings and expected).`,
    );
  }
  return value as unknown as TestCase;
}

/** One way a replay differs from the recording. */
export interface Difference {
  nodeId: string;
  occurrence: number;
  /** Where in the step: `status`, `ports`, `output[0].payload.total`, ... */
  field: string;
  expected: JsonValue | undefined;
  actual: JsonValue | undefined;
}

function diffValues(
  expected: JsonValue | undefined,
  actual: JsonValue | undefined,
  field: string,
  out: { field: string; expected: JsonValue | undefined; actual: JsonValue | undefined }[],
): void {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++)
      diffValues(expected[i], actual[i], `${field}[${i}]`, out);
    return;
  }
  if (isJsonObject(expected) && isJsonObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of [...keys].sort()) diffValues(expected[k], actual[k], `${field}.${k}`, out);
    return;
  }
  if (JSON.stringify(expected) !== JSON.stringify(actual)) out.push({ field, expected, actual });
}

function asJson(step: RecordedStep | undefined): Record<string, JsonValue | undefined> {
  return {
    status: step?.status,
    ports: step?.ports,
    input: step?.input,
    output: step?.output as JsonValue | undefined,
    error: step?.error,
  };
}

/** Compares what each node did in a replay with the recording, node by node and field by field. */
export function compareRun(
  testCase: TestCase,
  replayed: RunWithSteps,
  catalog: Catalog,
): Difference[] {
  const actual = finalSteps(replayed.steps).map(({ step, occurrence }) =>
    recordedStep(step, occurrence, catalog),
  );
  const key = (s: RecordedStep) => `${s.nodeId}#${s.occurrence}`;
  const byKey = new Map(actual.map((s) => [key(s), s]));
  const seen = new Set<string>();
  const out: Difference[] = [];
  const ignored = (nodeId: string, field: string) =>
    (testCase.ignore ?? []).some((prefix) => `${nodeId}.${field}`.startsWith(prefix));
  for (const expected of testCase.expected) {
    const k = key(expected);
    seen.add(k);
    const got = byKey.get(k);
    if (!got) {
      out.push({
        nodeId: expected.nodeId,
        occurrence: expected.occurrence,
        field: 'status',
        expected: expected.status,
        actual: 'did not run',
      });
      continue;
    }
    const e = asJson(expected);
    const a = asJson(got);
    const found: {
      field: string;
      expected: JsonValue | undefined;
      actual: JsonValue | undefined;
    }[] = [];
    for (const field of ['status', 'ports', 'input', 'output', 'error'])
      diffValues(e[field], a[field], field, found);
    for (const d of found) {
      if (!ignored(expected.nodeId, d.field))
        out.push({ nodeId: expected.nodeId, occurrence: expected.occurrence, ...d });
    }
  }
  for (const s of actual) {
    if (!seen.has(key(s)))
      out.push({
        nodeId: s.nodeId,
        occurrence: s.occurrence,
        field: 'status',
        expected: 'did not run',
        actual: s.status,
      });
  }
  return out;
}

/** `node "check" (message 1) field output[0].payload.weight: expected 30, got 25`. */
export function describeDifference(d: Difference): string {
  const show = (v: JsonValue | undefined) => (v === undefined ? '(nothing)' : JSON.stringify(v));
  return `node "${d.nodeId}"${d.occurrence > 0 ? ` (message ${d.occurrence + 1})` : ''} field ${d.field}: expected ${show(d.expected)}, got ${show(d.actual)}`;
}
